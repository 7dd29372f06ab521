"""Rounds: booking a round into a group, switching group without losing the seat, and
waitlists across a round's groups."""

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar

from peers.models import Notification
from peers.testing.concurrency import run_concurrently
from sessions_app import services
from sessions_app.models import Booking, Session, WaitlistEntry
from sessions_app.tests.calendar_apps import assert_calendar_apps_accept
from sessions_app.tests.factories import seats_held

pytestmark = pytest.mark.django_db


def test_booking_a_round_places_the_trainee_in_the_emptiest_group(make_round, make_trainee):
    one, two, three = make_round(groups=3, capacity=3)
    services.booking_create(session=one, user=make_trainee("a@example.edu"))
    services.booking_create(session=two, user=make_trainee("b@example.edu"))
    services.booking_create(session=two, user=make_trainee("c@example.edu"))
    booking = services.round_book(session=one, user=make_trainee("d@example.edu"))
    assert booking.session == three
    again = services.round_book(session=two, user=booking.user)  # a second tap keeps the seat
    assert again.pk == booking.pk and seats_held(three) == 1


def test_a_full_round_says_so_and_offers_its_waitlist(make_round, make_trainee):
    one, two = make_round(capacity=1)
    services.booking_create(session=one, user=make_trainee("a@example.edu"))
    services.booking_create(session=two, user=make_trainee("b@example.edu"))
    late = make_trainee("late@example.edu")
    with pytest.raises(ValidationError, match="Every group of this round is full"):
        services.round_book(session=one, user=late)
    entries = services.round_waitlist_join(session=one, user=late)
    assert {entry.session_id for entry in entries} == {one.pk, two.pk}
    assert not Booking.objects.filter(user=late).exists()


def test_switching_group_moves_the_seat_in_one_step_and_tells_the_trainee(make_round, trainee):
    one, two = make_round()
    booking = services.booking_create(session=one, user=trainee)
    moved = services.booking_switch(booking=booking, to=two)
    assert moved.pk == booking.pk and Booking.objects.get(pk=booking.pk).session == two
    assert (seats_held(one), seats_held(two)) == (0, 1)
    told = Notification.objects.get(kind="booking_switched", recipient=trainee)
    assert "group 2" in told.subject and "Room 2" in told.body
    assert [part["filename"] for part in told.attachments] == ["peers-session.ics", "peers-session-cancelled.ics"]
    new, cancelled = (part["content"] for part in told.attachments)
    assert_calendar_apps_accept(new, method="PUBLISH")
    (gone,) = assert_calendar_apps_accept(cancelled, method="CANCEL").walk("VEVENT")
    confirmed = Notification.objects.get(kind="booking_confirmed", recipient=trainee).attachments[0]["content"]
    (first,) = Calendar.from_ical(confirmed).walk("VEVENT")
    assert str(gone["uid"]) == str(first["uid"])  # the calendar app removes the very event it holds
    assert int(gone["sequence"]) > int(first["sequence"])


def test_switching_into_a_full_group_keeps_the_seat_one_had(make_round, make_trainee):
    one, two = make_round(capacity=1)
    booking = services.booking_create(session=one, user=make_trainee("a@example.edu"))
    services.booking_create(session=two, user=make_trainee("b@example.edu"))
    with pytest.raises(ValidationError, match="That group is full. You keep your seat"):
        services.booking_switch(booking=booking, to=two)
    assert Booking.objects.get(pk=booking.pk).session == one
    assert (seats_held(one), seats_held(two)) == (1, 1)


def test_one_cannot_switch_to_a_group_of_another_round(make_round, trainee):
    one, _ = make_round()
    other_round, _ = make_round()
    booking = services.booking_create(session=one, user=trainee)
    with pytest.raises(ValidationError, match="same round"):
        services.booking_switch(booking=booking, to=other_round)
    assert Booking.objects.get(pk=booking.pk).session == one and seats_held(other_round) == 0


def test_the_seat_left_by_a_switch_goes_to_the_first_person_waiting_there(make_round, make_trainee):
    one, two = make_round(capacity=1)
    mover = make_trainee("mover@example.edu")
    booking = services.booking_create(session=one, user=mover)
    services.waitlist_join(session=one, user=(waiting := make_trainee("waiting@example.edu")))
    services.booking_switch(booking=booking, to=two)
    assert WaitlistEntry.objects.get(user=waiting).status == "offered"
    assert Notification.objects.filter(kind="waitlist_offer", recipient=waiting).exists()
    assert (seats_held(one), seats_held(two)) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_two_trainees_switching_into_the_last_seat_at_once_one_moves_the_other_keeps_theirs(make_round, make_trainee):
    one, two = make_round(capacity=3)
    first, second = (services.booking_create(session=one, user=make_trainee(f"s{n}@example.edu")) for n in (1, 2))
    services.booking_create(session=two, user=make_trainee("a@example.edu"))
    services.booking_create(session=two, user=make_trainee("b@example.edu"))
    results = run_concurrently(
        lambda: services.booking_switch(booking=first, to=two), lambda: services.booking_switch(booking=second, to=two)
    )
    assert sum(isinstance(result, Booking) for result in results) == 1
    (refused,) = [result for result in results if isinstance(result, ValidationError)]
    assert "You keep your seat" in refused.messages[0]
    assert (seats_held(one), seats_held(two)) == (1, 3)
    assert Booking.objects.filter(status="booked").count() == 4


@pytest.mark.django_db(transaction=True)
def test_a_switch_racing_a_cancellation_of_the_same_booking_moves_nothing(make_round, trainee):
    """The switch locks the round and the booking: started while the booking is being
    cancelled, it waits and finds nothing to switch. Without the locks it moves the
    cancelled booking and counts a seat nobody holds in the new group."""
    one, two = make_round()
    booking = services.booking_create(session=one, user=trainee)
    cancelling = threading.Event()

    def cancel():
        with transaction.atomic():
            services.booking_cancel(booking=booking)
            cancelling.set()
            time.sleep(1.0)

    def switch():
        cancelling.wait(timeout=10)
        return services.booking_switch(booking=booking, to=two)

    _, switched = run_concurrently(cancel, switch)
    assert isinstance(switched, ValidationError) and "no longer have a seat" in switched.messages[0]
    assert (seats_held(one), seats_held(two)) == (0, 0)


def test_accepting_an_offer_in_another_group_moves_the_seat_there(make_round, make_trainee):
    """An offer is accepted into whichever group has the freed seat."""
    one, two = make_round(capacity=1)
    trainee = make_trainee("t@example.edu")
    booking = services.booking_create(session=one, user=trainee)
    other = services.booking_create(session=two, user=make_trainee("o@example.edu"))
    entry = WaitlistEntry.objects.create(session=two, user=trainee)  # waited for group 2 before the rule
    services.waitlist_join(session=one, user=(next_up := make_trainee("next@example.edu")))
    services.booking_cancel(booking=other)
    entry.refresh_from_db()
    assert entry.status == "waiting"  # a trainee with a seat in the round is never offered another
    WaitlistEntry.objects.filter(pk=entry.pk).update(  # an offer made before the rule, its seat held
        status="offered", offered_at=timezone.now(), offer_expires_at=timezone.now() + datetime.timedelta(hours=2)
    )
    Session.objects.filter(pk=two.pk).update(seats_taken=1)
    moved = services.waitlist_accept(entry=entry)
    assert moved.pk == booking.pk and moved.session == two
    assert WaitlistEntry.objects.get(user=next_up).status == "offered"  # group 1's seat went on at once
    assert (seats_held(one), seats_held(two)) == (1, 1)


def test_a_trainee_booked_in_group_1_with_an_offer_in_group_2_releases_it_to_the_next_person(make_round, make_trainee):
    """Keeping group 1 ends the offer held in group 2, and its seat is offered to the next
    person waiting there at once, not when the offer would have expired."""
    one, two = make_round(capacity=1)
    trainee, next_up = make_trainee("t@example.edu"), make_trainee("next@example.edu")
    leaving_one = services.booking_create(session=one, user=make_trainee("a@example.edu"))
    leaving_two = services.booking_create(session=two, user=make_trainee("b@example.edu"))
    services.waitlist_join(session=two, user=trainee)
    services.waitlist_join(session=two, user=next_up)
    services.booking_cancel(booking=leaving_two)  # group 2's seat is held for the trainee
    services.booking_cancel(booking=leaving_one)  # group 1's seat is free: nobody waits there
    assert WaitlistEntry.objects.get(user=trainee).status == "offered"

    services.booking_create(session=one, user=trainee)  # they keep group 1
    assert WaitlistEntry.objects.get(user=trainee).status == "left"
    passed_on = WaitlistEntry.objects.get(user=next_up)
    assert passed_on.status == "offered" and passed_on.offer_expires_at > timezone.now()
    assert Notification.objects.filter(kind="waitlist_offer", recipient=next_up).exists()
    assert (seats_held(one), seats_held(two)) == (1, 1)


def test_a_seat_in_any_group_ends_every_wait_of_the_trainee_in_the_round(make_round, make_trainee):
    one, two, three = make_round(groups=3, capacity=1)
    holders = [
        services.booking_create(session=group, user=make_trainee(f"h{n}@example.edu"))
        for n, group in enumerate((one, two, three))
    ]
    trainee = make_trainee("t@example.edu")
    services.round_waitlist_join(session=one, user=trainee)
    services.booking_cancel(booking=holders[2])  # group 3 frees: held for the trainee
    services.waitlist_accept(entry=WaitlistEntry.objects.get(user=trainee, session=three))
    assert set(WaitlistEntry.objects.filter(user=trainee).values_list("status", flat=True)) == {"left", "accepted"}
    with pytest.raises(ValidationError, match="already have a seat in this round"):
        services.waitlist_join(session=one, user=trainee)


def test_a_cancelled_group_is_never_chosen_for_a_round_booking(make_round, trainee):
    one, two = make_round(capacity=2)
    services.session_cancel(session=two)
    booking = services.round_book(session=two, user=trainee)
    assert booking.session == one
    assert Session.objects.get(pk=two.pk).seats_taken == 0
