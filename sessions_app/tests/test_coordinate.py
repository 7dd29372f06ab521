"""A coordinator acts for trainees on one session's page (/sessions/<id>/coordinate/,
linked from the session's admin page): books a trainee in under the same lock and CHECK
as a trainee's own booking, removes a booking (the seat goes to the waitlist), moves a
booking to another group or session, books someone in from the waitlist, and writes to
the booked trainees; every change tells the trainee. Coordinators of other programs get
a 404."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from peers.models import Notification
from peers.testing.concurrency import run_concurrently
from sessions_app import services
from sessions_app.models import Booking, Session, WaitlistEntry
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
        WaitlistEntry.objects.create(session=session, user=make_trainee(f"w{n}@example.edu"))
        SessionFactory(program=program)
    assert count() == first


# 1 the auth session, 2 the user, 3 their MFA authenticator, 4 the session with its
# program and topic, 5 the coordinator's memberships and 6 the program among them (the
# scope check), 7 the booked trainees with their users, 8 the program's other active
# trainees, 9 the people waiting with their users, 10 the sessions a booking can move
# to with their topics, 11 the nav's unread notifications.
EXPECTED = 11


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


def _move(client, session, booking, to):
    url = reverse("sessions:coordinate_move", args=[session.pk, booking.pk])
    return client.post(url, {"to": to.pk}, follow=True)


def test_a_coordinator_moves_a_booking_to_another_group_and_the_old_seat_goes_to_the_waitlist(
    client, coordinator, make_round, make_trainee
):
    one, two = make_round(capacity=1)
    moved, waiting = make_trainee("moved@example.edu"), make_trainee("waiting@example.edu")
    booking = services.booking_create(session=one, user=moved)
    services.waitlist_join(session=one, user=waiting)
    client.force_login(coordinator)
    assert "Move" in client.get(_page(one)).content.decode()
    page = _move(client, one, booking, two).content.decode()
    assert "is moved to group 2" in page and "has been told" in page
    assert Booking.objects.get(pk=booking.pk).session == two
    assert WaitlistEntry.objects.get(user=waiting).status == "offered"
    assert (seats_held(one), seats_held(two)) == (1, 1)
    told = Notification.objects.get(recipient=moved, kind="booking_moved")
    assert "coordinator moved your seat" in told.body and "group 2" in told.body
    assert [a["filename"] for a in told.attachments] == ["peers-session.ics", "peers-session-cancelled.ics"]


def test_a_coordinator_moves_a_booking_to_another_round_and_the_trainee_may_book_the_old_round_again(
    client, coordinator, make_round, program, trainee
):
    one, two = make_round(capacity=2)
    later = SessionFactory(program=program)
    booking = services.booking_create(session=one, user=trainee)
    client.force_login(coordinator)
    _move(client, one, booking, later)
    booking.refresh_from_db()
    assert booking.session == later and booking.round_key == later.round_key
    assert (seats_held(one), seats_held(later)) == (0, 1)
    assert services.booking_create(session=two, user=trainee).status == "booked"  # the old round is free again


def test_a_move_into_a_full_session_keeps_the_seat_the_trainee_had(client, coordinator, program, make_trainee):
    here, full = SessionFactory(program=program, capacity=2), SessionFactory(program=program, capacity=1)
    booking = services.booking_create(session=here, user=make_trainee("stay@example.edu"))
    services.booking_create(session=full, user=make_trainee("there@example.edu"))
    client.force_login(coordinator)
    page = _move(client, here, booking, full).content.decode()
    assert "That session is full: " in page and "keeps their seat here." in page
    assert Booking.objects.get(pk=booking.pk).session == here
    assert (seats_held(here), seats_held(full)) == (1, 1)
    assert not Notification.objects.filter(kind="booking_moved").exists()


def test_a_booking_moves_only_to_a_session_of_the_same_program(client, coordinator, session, trainee, other_program):
    elsewhere = SessionFactory(program=other_program)
    booking = services.booking_create(session=session, user=trainee)
    client.force_login(coordinator)
    assert _move(client, session, booking, elsewhere).status_code == 404
    assert Booking.objects.get(pk=booking.pk).session == session and seats_held(elsewhere) == 0


def test_a_coordinator_of_another_program_can_neither_move_nor_promote_nor_write(
    client, other_coordinator, program, make_trainee, other_program
):
    session, later = SessionFactory(program=program, capacity=1), SessionFactory(program=program)
    booking = services.booking_create(session=session, user=make_trainee("booked@example.edu"))
    entry = services.waitlist_join(session=session, user=make_trainee("waiting@example.edu"))
    client.force_login(other_coordinator)
    assert _move(client, session, booking, later).status_code == 404
    assert client.post(reverse("sessions:coordinate_promote", args=[session.pk, entry.pk])).status_code == 404
    message = {"subject": "Hello", "text": "Not yours", "token": "t"}
    assert client.post(reverse("sessions:coordinate_message", args=[session.pk]), message).status_code == 404
    assert Booking.objects.get(pk=booking.pk).session == session
    assert WaitlistEntry.objects.get(pk=entry.pk).status == "waiting"
    assert not Notification.objects.filter(kind__in=["booking_moved", "session_message"]).exists()


@pytest.mark.django_db(transaction=True)
def test_a_move_into_the_last_seat_racing_a_trainees_booking_gets_exactly_one(program, make_trainee):
    for n in range(3):
        here, last = SessionFactory(program=program, capacity=2), SessionFactory(program=program, capacity=1)
        booking = services.booking_create(session=here, user=make_trainee(f"m{n}@example.edu"))
        booker = make_trainee(f"b{n}@example.edu")
        results = run_concurrently(
            lambda b=booking, s=last: services.booking_move(booking=b, to=s),
            lambda s=last, u=booker: services.booking_create(session=s, user=u),
        )
        assert sorted(type(r).__name__ for r in results) == ["Booking", "ValidationError"]
        assert seats_held(last) == 1 and seats_held(here) == (0 if isinstance(results[0], Booking) else 1)


@pytest.mark.django_db(transaction=True)
def test_a_move_waits_for_a_booking_holding_the_last_seat_and_refuses_it_in_the_coordinators_words(
    program, make_trainee
):
    """The trainee's booking holds the session's lock and has taken the last seat but not
    committed yet. The move waits for the lock, then sees the seat taken and says so to
    the coordinator; it never reads the stale count and trips the database's CHECK."""
    here, last = SessionFactory(program=program, capacity=2), SessionFactory(program=program, capacity=1)
    booking = services.booking_create(session=here, user=make_trainee("mover@example.edu"))
    booker = make_trainee("booker@example.edu")
    holding = threading.Event()

    def book_and_hold():
        with transaction.atomic():
            services.booking_create(session=last, user=booker)
            holding.set()
            time.sleep(1)

    def move():
        assert holding.wait(10)
        return services.booking_move(booking=booking, to=last)

    booked, refused = run_concurrently(book_and_hold, move)
    assert isinstance(refused, ValidationError), refused
    (words,) = refused.messages
    assert words.startswith("That session is full: ") and words.endswith("keeps their seat here.")
    assert Booking.objects.get(pk=booking.pk).session == here
    assert (seats_held(here), seats_held(last)) == (1, 1)


def _promote(client, session, entry):
    return client.post(reverse("sessions:coordinate_promote", args=[session.pk, entry.pk]), follow=True)


def test_a_coordinator_books_a_waiting_trainee_into_a_free_seat_ending_their_other_waits(
    client, coordinator, make_round, make_trainee
):
    one, two = make_round(capacity=1)
    services.booking_create(session=one, user=make_trainee("a@example.edu"))
    services.booking_create(session=two, user=make_trainee("b@example.edu"))
    waiting = make_trainee("waiting@example.edu")
    entry_one, entry_two = services.round_waitlist_join(session=one, user=waiting)
    Session.objects.filter(pk=one.pk).update(capacity=2)  # a seat freed that nobody was offered yet
    client.force_login(coordinator)
    page = client.get(_page(one)).content.decode()
    assert "Book in from the waitlist" in page and waiting.name in page
    assert "is booked in from the waitlist and has been told." in _promote(client, one, entry_one).content.decode()
    assert Booking.objects.filter(session=one, user=waiting, status="booked").exists()
    statuses = {entry.session_id: entry.status for entry in WaitlistEntry.objects.filter(user=waiting)}
    assert statuses == {one.pk: "accepted", two.pk: "left"}
    told = Notification.objects.get(recipient=waiting, kind="waitlist_promoted")
    assert "booked you in from the waitlist" in told.body and told.attachments[0]["mimetype"] == "text/calendar"
    assert (seats_held(one), seats_held(two)) == (2, 1)


def test_promoting_into_a_full_session_is_refused_and_never_takes_a_seat_held_for_an_offer(
    client, coordinator, program, make_trainee
):
    session = SessionFactory(program=program, capacity=1)
    booking = services.booking_create(session=session, user=make_trainee("booked@example.edu"))
    offered, later = make_trainee("offered@example.edu"), make_trainee("later@example.edu")
    services.waitlist_join(session=session, user=offered)
    entry = services.waitlist_join(session=session, user=later)
    services.booking_cancel(booking=booking)  # the seat is held for `offered`
    client.force_login(coordinator)
    page = _promote(client, session, entry).content.decode()
    assert "This session is full, so" in page and "stays on the waitlist" in page
    assert WaitlistEntry.objects.get(user=offered).status == "offered"
    assert WaitlistEntry.objects.get(pk=entry.pk).status == "waiting"
    assert not Booking.objects.filter(user=later).exists() and seats_held(session) == 1


def test_promoting_someone_offered_a_seat_books_them_into_it(client, coordinator, program, make_trainee):
    session = SessionFactory(program=program, capacity=1)
    booking = services.booking_create(session=session, user=make_trainee("booked@example.edu"))
    entry = services.waitlist_join(session=session, user=(offered := make_trainee("offered@example.edu")))
    services.booking_cancel(booking=booking)
    client.force_login(coordinator)
    _promote(client, session, entry)
    assert Booking.objects.filter(session=session, user=offered, status="booked").exists()
    assert WaitlistEntry.objects.get(pk=entry.pk).status == "accepted" and seats_held(session) == 1


def _write(client, session, **fields):
    data = {"subject": "Room change", "text": "We meet in Room 4 this week.", "token": "form-1", **fields}
    return client.post(reverse("sessions:coordinate_message", args=[session.pk]), data, follow=True)


def test_each_booked_trainee_gets_the_message_on_their_own_and_a_double_submit_sends_once(
    client, coordinator, program, make_trainee
):
    session = SessionFactory(program=program, capacity=5)
    booked = [make_trainee(f"t{n}@example.edu") for n in range(3)]
    for person in booked:
        services.booking_create(session=session, user=person)
    gone = services.booking_create(session=session, user=make_trainee("gone@example.edu"))
    services.booking_cancel(booking=gone)
    client.force_login(coordinator)
    assert "Your message went to 3 booked trainees, each on their own." in _write(client, session).content.decode()
    assert "already sent; nobody got it twice" in _write(client, session).content.decode()
    messages = Notification.objects.filter(kind="session_message")
    assert sorted(m.recipient_id for m in messages) == sorted(p.pk for p in booked)
    for message in messages:
        assert message.subject == "Room change" and "We meet in Room 4 this week." in message.body
        assert not any(other.email in message.body for other in booked if other != message.recipient)
    _write(client, session, token="form-2")  # a new form: the coordinator means to send it again
    assert Notification.objects.filter(kind="session_message").count() == 6


def test_a_message_too_long_or_empty_is_refused_in_words_and_the_words_are_kept(client, coordinator, session, trainee):
    services.booking_create(session=session, user=trainee)
    client.force_login(coordinator)
    response = _write(client, session, text="x" * 2001)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please keep the message to 2000 characters (it has 2001)." in page and "x" * 2001 in page
    assert "Please give the message a subject." in _write(client, session, subject="  ").content.decode()
    assert not Notification.objects.filter(kind="session_message").exists()


def test_a_waitlist_place_of_another_session_cannot_be_promoted_through_this_page(
    client, coordinator, program, make_trainee, other_program
):
    mine, theirs = SessionFactory(program=program), SessionFactory(program=other_program, capacity=1)
    services.booking_create(session=theirs, user=make_trainee("full@example.edu", on=other_program))
    entry = services.waitlist_join(session=theirs, user=make_trainee("theirs@example.edu", on=other_program))
    Session.objects.filter(pk=theirs.pk).update(capacity=2)
    client.force_login(coordinator)
    assert _promote(client, mine, entry).status_code == 404
    assert WaitlistEntry.objects.get(pk=entry.pk).status == "waiting" and seats_held(theirs) == 1


def test_promoting_someone_already_booked_here_ends_their_wait_and_books_nothing_more(
    client, coordinator, make_round, make_trainee
):
    one, two = make_round(capacity=1)
    services.booking_create(session=two, user=make_trainee("b@example.edu"))
    switcher = make_trainee("switcher@example.edu")
    booking = services.booking_create(session=one, user=switcher)
    entry = WaitlistEntry.objects.create(session=two, user=switcher)  # waited for group 2 ...
    Session.objects.filter(pk=two.pk).update(capacity=2)
    services.booking_switch(booking=booking, to=two)  # ... and switched there
    client.force_login(coordinator)
    _promote(client, two, entry)
    assert WaitlistEntry.objects.get(pk=entry.pk).status == "accepted"
    assert Booking.objects.filter(user=switcher, status="booked").count() == 1 and seats_held(two) == 2
