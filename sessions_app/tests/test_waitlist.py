"""Accepting a waitlist offer and the offer-expiry sweep (services/waitlist.py) take their
locks in one order, the round's groups in id order and then the offer, so they never
deadlock, and the offer is re-checked under its lock, so never both win."""

import datetime
import time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from peers.testing.concurrency import run_concurrently
from sessions_app import services
from sessions_app.models import Booking, WaitlistEntry
from sessions_app.services.booking import round_lock
from sessions_app.tests.factories import SessionFactory, seats_held

pytestmark = pytest.mark.django_db(transaction=True)


def _offered(program, make_trainee, n=0):
    """A full one-seat session whose seat is offered to `second`, with `third` waiting next."""
    session = SessionFactory(program=program, capacity=1, starts_at=timezone.now() + datetime.timedelta(days=5))
    first, second, third = (make_trainee(f"w{n}.{k}@example.edu") for k in range(3))
    booking = services.booking_create(session=session, user=first)
    services.waitlist_join(session=session, user=second)
    services.waitlist_join(session=session, user=third)
    services.booking_cancel(booking=booking)
    offer = WaitlistEntry.objects.get(session=session, user=second, status="offered")
    return session, offer, third


def test_the_expiry_sweep_takes_the_round_before_the_offer_as_accepting_does(program, make_trainee):
    session, offer, _ = _offered(program, make_trainee)

    def accepting_holds_the_round():
        with transaction.atomic():
            round_lock(session)
            time.sleep(1.0)  # the sweep starts meanwhile and waits
            # Accepting locks the offer next; the sweep must not be holding it.
            WaitlistEntry.objects.select_for_update(nowait=True).get(pk=offer.pk)
            return "offer free"

    def sweep():
        time.sleep(0.3)
        return services.waitlist_offers_expire()

    with time_machine.travel(offer.offer_expires_at + datetime.timedelta(minutes=1)):
        holder, swept = run_concurrently(accepting_holds_the_round, sweep)
    assert holder == "offer free", f"the sweep held the offer while waiting for the round: {holder!r}"
    assert swept == 1


def test_accepting_an_offer_as_it_expires_races_the_sweep_and_exactly_one_wins(program, make_trainee):
    for n in range(3):
        session, offer, third = _offered(program, make_trainee, n)
        with time_machine.travel(offer.offer_expires_at + datetime.timedelta(seconds=1)):
            accepted, swept = run_concurrently(
                lambda offer=offer: services.waitlist_accept(entry=offer), services.waitlist_offers_expire
            )
        assert isinstance(accepted, ValidationError), f"no deadlock, no second winner: {accepted!r}"
        assert "expired" in " ".join(accepted.messages)
        assert swept == 1
        offer.refresh_from_db()
        assert offer.status == "expired"
        assert not Booking.objects.filter(session=session, user=offer.user, status="booked").exists()
        assert WaitlistEntry.objects.get(session=session, user=third).status == "offered"  # the next person
        assert seats_held(session) == 1


def test_an_offer_accepted_before_it_expires_is_left_to_its_booking_by_the_sweep(program, make_trainee):
    session, offer, third = _offered(program, make_trainee)
    with time_machine.travel(offer.offer_expires_at - datetime.timedelta(seconds=1)):
        accept = lambda: services.waitlist_accept(entry=offer)  # noqa: E731
        accepted, swept = run_concurrently(accept, services.waitlist_offers_expire)
    assert isinstance(accepted, Booking) and swept == 0
    assert WaitlistEntry.objects.get(session=session, user=third).status == "waiting"
    assert seats_held(session) == 1
