"""A coordinator's edits to a session in the admin (SessionAdmin.save_model and
sessions_app/services/changes.py): what the database would refuse is a form error, the seat
count and the status never change through the form, and new seats go to the waitlist."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from peers.models import User
from peers.tests.factories import give_totp
from sessions_app import services
from sessions_app.models import Booking, Session, WaitlistEntry
from sessions_app.tests.factories import SeriesFactory, SessionFactory, seats_held

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client):
    admin = User.objects.create_superuser("office@example.edu", "long-enough-password")
    give_totp(admin)
    client.force_login(admin)
    return client


def _post(client, session, **changes):
    return client.post(reverse("admin:sessions_app_session_change", args=[session.pk]), _data(session, **changes))


def _data(session, **changes) -> dict:
    start = timezone.localtime(changes.pop("starts_at", session.starts_at))
    data = {
        "program": session.program_id,
        "topic": session.topic_id,
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": start.strftime("%H:%M:%S"),
        "duration_minutes": str(session.duration_minutes),
        "group_number": str(session.group_number),
        "modality": session.modality,
        "location": session.location,
        "capacity": str(session.capacity),
        "booking_closes_hours": "2",
        "facilitations-TOTAL_FORMS": "0",
        "facilitations-INITIAL_FORMS": "0",
        **{k: str(v) for k, v in changes.items()},
    }
    if session.series_id:
        data["series"] = session.series_id
    return data


def test_the_admin_cannot_set_a_status_and_keeps_the_seat_count(office, session, trainee):
    services.booking_create(session=session, user=trainee)
    stale = Session.objects.get(pk=session.pk)  # loaded before the booking would be, in a real race
    response = _post(office, stale, location="Room 9", status="cancelled")
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.location) == ("scheduled", "Room 9")
    assert seats_held(session) == 1 and Booking.objects.get().status == "booked"


def test_moving_a_session_onto_a_facilitators_other_session_is_a_form_error(office, program, trained_facilitator):
    person = trained_facilitator("busy@example.edu")
    first = SessionFactory(program=program)
    second = SessionFactory(program=program, starts_at=first.starts_at + datetime.timedelta(hours=3))
    services.facilitation_add(session=first, user=person)
    services.facilitation_add(session=second, user=person)
    response = _post(office, second, starts_at=first.starts_at + datetime.timedelta(minutes=30))
    assert response.status_code == 200 and "co-facilitates another session at that time" in response.content.decode()


def test_a_duplicate_group_number_is_a_form_error(office, program):
    series = SeriesFactory(program=program)
    start = timezone.now() + datetime.timedelta(days=3)
    SessionFactory(program=program, series=series, group_number=1, starts_at=start)
    other = SessionFactory(program=program, series=series, group_number=2, starts_at=start)
    response = _post(office, other, group_number=1)
    assert response.status_code == 200 and "already exists in this round" in response.content.decode()


def test_raising_the_capacity_offers_the_new_seats_to_the_waitlist(office, program, make_trainee):
    session = SessionFactory(program=program, capacity=1)
    services.booking_create(session=session, user=make_trainee("a@example.edu"))
    services.waitlist_join(session=session, user=make_trainee("b@example.edu"))
    services.waitlist_join(session=session, user=make_trainee("c@example.edu"))
    _post(office, session, capacity=2)
    assert list(WaitlistEntry.objects.order_by("created_at").values_list("status", flat=True)) == ["offered", "waiting"]
    assert seats_held(session) == 2


def test_a_booking_that_lands_while_the_capacity_is_lowered_keeps_its_seat(office, program, make_trainee):
    """The form sees 1 of 2 seats taken and allows 1; a booking comes in before the save.
    Under the row lock the change is refused in words: no database error, no overbooking."""
    session = SessionFactory(program=program, capacity=2)
    services.booking_create(session=session, user=make_trainee("first@example.edu"))
    stale = Session.objects.get(pk=session.pk)
    services.booking_create(session=session, user=make_trainee("second@example.edu"))
    stale.capacity = 1
    with pytest.raises(ValidationError, match="2 seats are already taken"):
        services.session_update(session=stale, changed=["capacity"])
    session.refresh_from_db()
    assert (session.capacity, seats_held(session)) == (2, 2)


def test_the_admin_says_so_when_a_booking_beats_the_capacity_change(office, program, make_trainee, monkeypatch):
    session = SessionFactory(program=program, capacity=2)
    services.booking_create(session=session, user=make_trainee("first@example.edu"))
    real_update = services.session_update

    def booking_lands_first(**kwargs):
        services.booking_create(session=session, user=make_trainee("second@example.edu"))
        return real_update(**kwargs)

    monkeypatch.setattr(services, "session_update", booking_lands_first)
    response = office.post(
        reverse("admin:sessions_app_session_change", args=[session.pk]), _data(session, capacity=1), follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 seats are already taken" in page and "was changed successfully" not in page
    session.refresh_from_db()
    assert (session.capacity, seats_held(session)) == (2, 2)
