import datetime
import threading
import time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from peers.models import Notification
from peers.services.notifications import notifications_sweep
from peers.testing.concurrency import run_concurrently
from sessions_app import selectors, services
from sessions_app.models import Booking, Session, WaitlistEntry
from sessions_app.services.booking import seat_take
from sessions_app.tests.factories import SeriesFactory, SessionFactory, seats_held

pytestmark = pytest.mark.django_db


def test_booking_takes_a_seat_and_confirms_with_a_calendar_file(session, trainee, mailoutbox):
    booking = services.booking_create(session=session, user=trainee)
    session.refresh_from_db()
    assert (booking.status, session.seats_taken) == ("booked", 1)

    notifications_sweep()
    (message,) = mailoutbox
    assert message.attachments[0][0] == "peers-session.ics"


def test_booking_twice_keeps_one_booking(session, trainee):
    first = services.booking_create(session=session, user=trainee)
    second = services.booking_create(session=session, user=trainee)
    session.refresh_from_db()
    assert first.pk == second.pk and session.seats_taken == 1
    assert Booking.objects.filter(user=trainee).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": Session.Status.CANCELLED}, "was cancelled"),
        ({"starts_at": "past"}, "already taken place"),
        ({"starts_at": "closing"}, "Booking for this session has closed"),
    ],
)
def test_a_session_that_cannot_be_booked_says_why_and_changes_nothing(session, trainee, change, message):
    if change.get("starts_at") == "past":
        change = {
            "starts_at": timezone.now() - datetime.timedelta(hours=3),
            "ends_at": timezone.now() - datetime.timedelta(hours=2),
        }
    elif change.get("starts_at") == "closing":
        change = {
            "starts_at": timezone.now() + datetime.timedelta(hours=1),
            "ends_at": timezone.now() + datetime.timedelta(hours=2),
        }
    Session.objects.filter(pk=session.pk).update(**change)
    session.refresh_from_db()
    with pytest.raises(ValidationError, match=message):
        services.booking_create(session=session, user=trainee)
    assert not Booking.objects.exists()
    session.refresh_from_db()
    assert session.seats_taken == 0


def test_one_seat_per_round(program, trainee):
    group_one = SessionFactory(program=program, group_number=1)
    group_two = SessionFactory(
        program=program, group_number=2, starts_at=group_one.starts_at, round_date=group_one.round_date, series=None
    )
    Session.objects.filter(pk__in=[group_one.pk, group_two.pk]).update(round_date=group_one.round_date)

    series = SeriesFactory(program=program)
    Session.objects.filter(pk=group_one.pk).update(series=series)
    Session.objects.filter(pk=group_two.pk).update(series=series, group_number=2)
    group_one.refresh_from_db()
    group_two.refresh_from_db()
    services.booking_create(session=group_one, user=trainee)
    with pytest.raises(ValidationError, match="already have a seat in this round"):
        services.booking_create(session=group_two, user=trainee)
    group_two.refresh_from_db()
    assert group_two.seats_taken == 0


def test_the_database_refuses_overbooking_even_without_the_lock(session):
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Session.objects.filter(pk=session.pk).update(seats_taken=session.capacity + 1)


@pytest.mark.django_db(transaction=True)
def test_last_seat_goes_to_exactly_one_of_50_concurrent_bookings(program, make_trainee):
    session = SessionFactory(program=program, capacity=1)
    trainees = [make_trainee(f"t{n}@example.edu") for n in range(50)]
    barrier = threading.Barrier(50)
    outcomes = []

    def book(user):
        barrier.wait()
        try:
            services.booking_create(session=session, user=user)
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append(error.code or "refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(user,)) for user in trainees]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert outcomes.count("booked") == 1
    assert outcomes.count("full") == 49
    session.refresh_from_db()
    assert session.seats_taken == 1
    assert Booking.objects.filter(session=session, status="booked").count() == 1


def test_cancel_frees_the_seat_when_nobody_waits(session, trainee):
    booking = services.booking_create(session=session, user=trainee)
    services.booking_cancel(booking=booking)
    session.refresh_from_db()
    booking.refresh_from_db()
    assert (booking.status, session.seats_taken) == ("cancelled", 0)


def test_cancelling_after_the_cut_off_is_refused(session, trainee):
    booking = services.booking_create(session=session, user=trainee)
    with time_machine.travel(session.starts_at - datetime.timedelta(minutes=30)):
        with pytest.raises(ValidationError, match="too close to the start"):
            services.booking_cancel(booking=booking)
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_waitlist_offer_expiry_and_promotion(program, make_trainee):
    session = SessionFactory(program=program, capacity=1, starts_at=timezone.now() + datetime.timedelta(days=5))
    first, second, third = (make_trainee(f"w{n}@example.edu") for n in range(3))
    booking = services.booking_create(session=session, user=first)
    entry_two = services.waitlist_join(session=session, user=second)
    entry_three = services.waitlist_join(session=session, user=third)
    assert [selectors.waitlist_position(entry_two), selectors.waitlist_position(entry_three)] == [1, 2]

    services.booking_cancel(booking=booking)
    entry_two.refresh_from_db()
    session.refresh_from_db()
    assert entry_two.status == "offered" and session.seats_taken == 1  # the seat is held for the offer
    assert entry_two.offer_expires_at == entry_two.offered_at + datetime.timedelta(hours=12)
    with pytest.raises(ValidationError, match="full"):
        services.booking_create(session=session, user=make_trainee("latecomer@example.edu"))

    with time_machine.travel(entry_two.offer_expires_at + datetime.timedelta(minutes=1)):
        assert services.waitlist_offers_expire() == 1
        entry_two.refresh_from_db()
        entry_three.refresh_from_db()
        assert entry_two.status == "expired" and entry_three.status == "offered"
        with pytest.raises(ValidationError, match="expired"):
            services.waitlist_accept(entry=entry_two)
        booking = services.waitlist_accept(entry=entry_three)
    session.refresh_from_db()
    assert booking.user == third and session.seats_taken == 1
    assert WaitlistEntry.objects.get(pk=entry_three.pk).status == "accepted"


def test_waitlist_only_when_full(session, trainee):
    with pytest.raises(ValidationError, match="still has seats"):
        services.waitlist_join(session=session, user=trainee)


def test_cancelling_a_session_tells_everyone_booked_or_waiting(program, make_trainee):
    session = SessionFactory(program=program, capacity=1)
    booked, waiting = make_trainee("b@example.edu"), make_trainee("w@example.edu")
    services.booking_create(session=session, user=booked)
    services.waitlist_join(session=session, user=waiting)
    assert services.session_cancel(session=session) == 2

    told = set(Notification.objects.filter(kind="session_cancelled").values_list("recipient__email", flat=True))
    assert told == {"b@example.edu", "w@example.edu"}
    assert services.session_cancel(session=session) == 0  # once


@pytest.mark.django_db(transaction=True)
def test_a_booking_racing_the_sessions_cancellation_is_refused_not_confirmed(session, trainee):
    """The session's row lock: a booking that starts while the session is being cancelled
    waits for the cancellation and is refused. Without the lock it reads the session as
    still scheduled and confirms a seat inside a cancelled session."""
    cancelling = threading.Event()

    def cancel():
        with transaction.atomic():
            services.session_cancel(session=session)
            cancelling.set()
            time.sleep(1.0)  # the cancellation is not yet committed while the booking runs

    def book():
        cancelling.wait(timeout=10)
        return services.booking_create(session=session, user=trainee)

    _, booked = run_concurrently(cancel, book)
    assert isinstance(booked, ValidationError) and "cancelled" in booked.messages[0]
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert not Booking.objects.filter(session=session, status="booked").exists()


def test_without_the_lock_the_database_still_refuses_a_second_seat(program, make_trainee):
    session = SessionFactory(program=program, capacity=1)
    seat_take(session=session, user=make_trainee("a@example.edu"))
    with pytest.raises(ValidationError, match="full"):
        seat_take(session=session, user=make_trainee("b@example.edu"))  # the service's lock skipped on purpose
    assert seats_held(session) == 1


def test_a_seat_freed_after_the_cut_off_is_not_offered(program, make_trainee):
    session = SessionFactory(program=program, capacity=1)
    booking = services.booking_create(session=session, user=make_trainee("a@example.edu"))
    services.waitlist_join(session=session, user=make_trainee("b@example.edu"))
    with time_machine.travel(session.booking_closes_at() - datetime.timedelta(minutes=1)):
        services.booking_cancel(booking=booking)  # just before the cut-off: offered, expiring at the cut-off
    with time_machine.travel(session.booking_closes_at() + datetime.timedelta(minutes=1)):
        assert services.waitlist_offers_expire() == 1
        assert Notification.objects.filter(kind="waitlist_offer").count() == 1
    assert seats_held(session) == 0


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
    assert seats_held(group_one) == 0  # not held for someone who already has a seat this round


def test_cancelling_tells_the_facilitators_too(session, trained_facilitator):
    facilitator = trained_facilitator("f@example.edu")
    services.facilitation_add(session=session, user=facilitator)
    services.session_cancel(session=session)
    assert Notification.objects.filter(kind="session_cancelled", recipient=facilitator).exists()
