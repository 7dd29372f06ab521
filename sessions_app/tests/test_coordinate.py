"""A coordinator acts for trainees on one session's page (/sessions/<id>/coordinate/,
linked from the session's admin page): books a trainee in under the same lock and CHECK
as a trainee's own booking, removes a booking (the seat goes to the waitlist), and every
change tells the trainee. Coordinators of other programs get a 404."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from peers.models import Notification
from peers.testing.concurrency import run_concurrently
from sessions_app import services
from sessions_app.models import Booking, WaitlistEntry
from sessions_app.tests.factories import SessionFactory, seats_held

pytestmark = pytest.mark.django_db


def _page(session):
    return reverse("sessions:coordinate", args=[session.pk])


def test_a_coordinator_books_a_trainee_in_and_the_trainee_is_told(client, coordinator, session, trainee):
    client.force_login(coordinator)
    page = client.get(_page(session)).content.decode()
    assert trainee.name in page and "Nobody is booked yet." in page
    response = client.post(_page(session), {"trainee": trainee.pk}, follow=True)
    assert "is booked into this session and has been told." in response.content.decode()
    assert Booking.objects.filter(session=session, user=trainee, status="booked").exists()
    told = Notification.objects.get(recipient=trainee, kind="booking_made_for")
    assert "coordinator booked you a seat" in told.body and told.attachments[0]["mimetype"] == "text/calendar"
    assert not Notification.objects.filter(recipient=trainee, kind="booking_confirmed").exists()


def test_a_full_session_refuses_the_coordinators_booking_in_words(client, coordinator, program, make_trainee):
    session = SessionFactory(program=program, capacity=1)
    services.booking_create(session=session, user=make_trainee("first@example.edu"))
    late = make_trainee("late@example.edu")
    client.force_login(coordinator)
    response = client.post(_page(session), {"trainee": late.pk}, follow=True)
    assert "This session is full." in response.content.decode()
    assert seats_held(session) == 1


def test_a_coordinator_removes_a_booking_and_the_seat_goes_to_the_waitlist(client, coordinator, program, make_trainee):
    session = SessionFactory(program=program, capacity=1)
    booked, waiting = make_trainee("booked@example.edu"), make_trainee("waiting@example.edu")
    booking = services.booking_create(session=session, user=booked)
    services.waitlist_join(session=session, user=waiting)
    client.force_login(coordinator)
    url = reverse("sessions:coordinate_remove", args=[session.pk, booking.pk])
    ask = client.post(url).content.decode()
    assert "Remove this booking?" in ask
    assert Booking.objects.get(pk=booking.pk).status == "booked"  # nothing until confirmed
    client.post(url, {"confirm": "1"})
    assert Booking.objects.get(pk=booking.pk).status == "cancelled"
    assert WaitlistEntry.objects.get(user=waiting).status == "offered"
    assert "coordinator removed your seat" in Notification.objects.get(recipient=booked, kind="booking_removed").body
    assert seats_held(session) == 1


def test_a_coordinator_of_another_program_gets_404(client, other_coordinator, session, trainee, other_program):
    booking = services.booking_create(session=session, user=trainee)
    client.force_login(other_coordinator)
    assert client.get(_page(session)).status_code == 404
    assert client.post(_page(session), {"trainee": trainee.pk}).status_code == 404
    remove = reverse("sessions:coordinate_remove", args=[session.pk, booking.pk])
    assert client.post(remove, {"confirm": "1"}).status_code == 404
    assert Booking.objects.get(pk=booking.pk).status == "booked"


def test_only_the_programs_trainees_can_be_booked_in(client, coordinator, session, make_trainee, other_program):
    stranger = make_trainee("stranger@example.edu", on=other_program)
    client.force_login(coordinator)
    assert client.post(_page(session), {"trainee": stranger.pk}).status_code == 404
    assert client.post(_page(session), {"trainee": "nonsense"}).status_code == 404
    assert not Booking.objects.filter(session=session).exists()


def test_the_coordinator_page_costs_the_same_queries_however_many_are_booked(
    client, coordinator, program, make_trainee, django_assert_num_queries
):
    session = SessionFactory(program=program, capacity=30)

    def count():
        with django_assert_num_queries(EXPECTED) as captured:
            assert client.get(_page(session)).status_code == 200
        return len(captured)

    client.force_login(coordinator)
    services.booking_create(session=session, user=make_trainee("t0@example.edu"))
    first = count()
    for n in range(1, 8):
        services.booking_create(session=session, user=make_trainee(f"t{n}@example.edu"))
        make_trainee(f"free{n}@example.edu")
    assert count() == first


# 1 the auth session, 2 the user, 3 their MFA authenticator, 4 the session with its
# program and topic, 5 the coordinator's memberships and 6 the program among them (the
# scope check), 7 the booked trainees with their users, 8 the program's other active
# trainees, 9 the nav's unread notifications.
EXPECTED = 9


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_and_a_trainee_racing_for_the_last_seat_get_exactly_one(program, make_trainee):
    for n in range(3):
        session = SessionFactory(program=program, capacity=1)
        by_coordinator, by_self = make_trainee(f"c{n}@example.edu"), make_trainee(f"s{n}@example.edu")
        results = run_concurrently(
            lambda s=session, u=by_coordinator: services.booking_create(session=s, user=u, by_coordinator=True),
            lambda s=session, u=by_self: services.booking_create(session=s, user=u),
        )
        assert sorted(type(r).__name__ for r in results) == ["Booking", "ValidationError"]
        assert seats_held(session) == 1
        assert Booking.objects.filter(session=session, status="booked").count() == 1
        refused = next(r for r in results if isinstance(r, ValidationError))
        assert "full" in " ".join(refused.messages)
