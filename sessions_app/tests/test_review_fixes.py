"""Seat accounting and edits that once went wrong."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from peers.models import Notification, User
from peers.tests.factories import give_totp
from sessions_app import services
from sessions_app.models import Booking, Session, WaitlistEntry
from sessions_app.tests.factories import SeriesFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _held(session) -> int:
    session.refresh_from_db()
    bookings = session.bookings.filter(status="booked").count()
    offers = session.waitlist.filter(status="offered").count()
    assert session.seats_taken == bookings + offers
    return session.seats_taken


def test_without_the_lock_the_database_still_refuses_a_second_seat(program, make_trainee):
    session = SessionFactory(program=program, capacity=1)
    services._take_seat(session, make_trainee("a@example.edu"))
    with pytest.raises(ValidationError, match="full"):
        services._take_seat(session, make_trainee("b@example.edu"))  # the service's lock skipped on purpose
    assert _held(session) == 1


def test_a_seat_freed_after_the_cut_off_is_not_offered(program, make_trainee):
    session = SessionFactory(program=program, capacity=1)
    booking = services.booking_create(session=session, user=make_trainee("a@example.edu"))
    services.waitlist_join(session=session, user=make_trainee("b@example.edu"))
    with time_machine.travel(session.booking_closes_at() - datetime.timedelta(minutes=1)):
        services.booking_cancel(booking=booking)  # just before the cut-off: offered, expiring at the cut-off
    with time_machine.travel(session.booking_closes_at() + datetime.timedelta(minutes=1)):
        assert services.waitlist_offers_expire() == 1
        assert Notification.objects.filter(kind="waitlist_offer").count() == 1
    assert _held(session) == 0


def test_booking_another_group_ends_the_wait_for_this_round(program, make_trainee):
    series = SeriesFactory(program=program)
    start = timezone.now() + datetime.timedelta(days=3)
    group_one = SessionFactory(program=program, series=series, group_number=1, capacity=1, starts_at=start)
    group_two = SessionFactory(
        program=program, series=series, group_number=2, capacity=1, starts_at=start, round_date=group_one.round_date
    )
    holder, waiter = make_trainee("h@example.edu"), make_trainee("w@example.edu")
    booking = services.booking_create(session=group_one, user=holder)
    services.waitlist_join(session=group_one, user=waiter)
    services.booking_create(session=group_two, user=waiter)
    assert WaitlistEntry.objects.get(user=waiter).status == "left"
    services.booking_cancel(booking=booking)
    assert _held(group_one) == 0  # not held for someone who already has a seat this round


def test_feedback_only_for_a_kept_seat(session, trainee):
    booking = services.booking_create(session=session, user=trainee)
    services.booking_cancel(booking=booking)
    with time_machine.travel(session.ends_at + datetime.timedelta(hours=1)):
        with pytest.raises(ValidationError, match="sessions you attended"):
            services.feedback_submit(booking=booking, rating=5, comment="")


def test_cancelling_tells_the_facilitators_too(session, trained_facilitator):
    facilitator = trained_facilitator("f@example.edu")
    services.facilitation_add(session=session, user=facilitator)
    services.session_cancel(session=session)
    assert Notification.objects.filter(kind="session_cancelled", recipient=facilitator).exists()


@pytest.fixture
def office(client):
    admin = User.objects.create_superuser("office@example.edu", "long-enough-password")
    give_totp(admin)
    client.force_login(admin)
    return client


def _post(client, session, **changes):
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
    return client.post(reverse("admin:sessions_app_session_change", args=[session.pk]), data)


def test_the_admin_cannot_set_a_status_and_keeps_the_seat_count(office, session, trainee):
    services.booking_create(session=session, user=trainee)
    stale = Session.objects.get(pk=session.pk)  # loaded before the booking would be, in a real race
    response = _post(office, stale, location="Room 9", status="cancelled")
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.location) == ("scheduled", "Room 9")
    assert _held(session) == 1 and Booking.objects.get().status == "booked"


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
    assert _held(session) == 2
