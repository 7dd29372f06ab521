"""The waitlist: joining, leaving, accepting a held seat, and offers that run out."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from peers.models import User
from sessions_app import notify
from sessions_app.models import Booking, Session, WaitlistEntry
from sessions_app.services.booking import (
    round_key,
    round_lock,
    seat_move,
    seat_release,
    seat_take,
    session_check_bookable,
)


def session_offer_free_seats(*, session: Session) -> int:
    """After a coordinator raises the capacity: offer each new seat to the waitlist."""
    offered = 0
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        while session.seats_left > 0 and session.waitlist.filter(status=WaitlistEntry.Status.WAITING).exists():
            if timezone.now() >= session.booking_closes_at():
                break
            Session.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") + 1)
            session.refresh_from_db(fields=["seats_taken"])
            before = session.waitlist.filter(status=WaitlistEntry.Status.OFFERED).count()
            seat_release(session=session)  # takes the seat back if nobody eligible waits
            if session.waitlist.filter(status=WaitlistEntry.Status.OFFERED).count() == before:
                break
            offered += 1
    return offered


def waitlist_join(*, session: Session, user: User) -> WaitlistEntry:
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        session_check_bookable(session=session)
        if Booking.objects.filter(session=session, user=user, status=Booking.Status.BOOKED).exists():
            raise ValidationError("You already have a seat in this session.")
        if Booking.objects.filter(round_key=round_key(session), user=user, status=Booking.Status.BOOKED).exists():
            raise ValidationError("You already have a seat in this round. Switch to this group when it has a seat.")
        if session.seats_left > 0:
            raise ValidationError("This session still has seats: book one instead.")
        entry, _ = WaitlistEntry.objects.get_or_create(
            session=session,
            user=user,
            status__in=WaitlistEntry.OPEN,
            defaults={"status": WaitlistEntry.Status.WAITING},
        )
    return entry


def waitlist_accept(*, entry: WaitlistEntry) -> Booking:
    """Turn an open offer into a booking; the seat was held for it. A trainee who already
    has a seat in another group of the round moves there (the old seat goes to the next
    person). Accepting again (a double tap, two tabs) returns the booking the first made."""
    with transaction.atomic():
        groups = round_lock(entry.session)
        session = groups[entry.session_id]
        entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status == WaitlistEntry.Status.ACCEPTED:
            existing = Booking.objects.filter(session=session, user=entry.user, status=Booking.Status.BOOKED).first()
            if existing:
                return existing
        if entry.status != WaitlistEntry.Status.OFFERED or entry.offer_expires_at <= timezone.now():
            raise ValidationError(
                "This offer has expired and the seat has gone to the next person. You can join the waitlist again."
            )
        held = Booking.objects.filter(round_key=round_key(session), user=entry.user, status=Booking.Status.BOOKED)
        held = held.select_for_update().first()
        if held:
            booking = seat_move(booking=held, to=session, old=groups[held.session_id], seat_already_held=True)
        else:
            booking = seat_take(session=session, user=entry.user, seat_already_held=True)
        entry.status = WaitlistEntry.Status.ACCEPTED
        entry.save(update_fields=["status"])
    notify.booking_confirmed(booking)
    return booking


def waitlist_leave(*, entry: WaitlistEntry) -> None:
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=entry.session_id)
        entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status not in WaitlistEntry.OPEN:
            return
        was_offered = entry.status == WaitlistEntry.Status.OFFERED
        entry.status = WaitlistEntry.Status.LEFT
        entry.save(update_fields=["status"])
        if was_offered:
            seat_release(session=session)


def waitlist_offers_expire() -> int:
    """Sweep: expire offers past their time and pass each seat on. Returns offers expired.

    1. Find an expired offer without locking it.
    2. Lock its round's groups in id order, then the offer: the order accepting an offer
       takes them in (`waitlist_accept`), so the sweep and an acceptance never deadlock.
    3. Re-check the offer under its lock: if an acceptance (or another sweep) got there
       first it is no longer an open, expired offer and is left alone, so exactly one wins.
    """
    expired = 0
    while True:
        candidate = (
            WaitlistEntry.objects.filter(status=WaitlistEntry.Status.OFFERED, offer_expires_at__lte=timezone.now())
            .select_related("session")
            .order_by("offer_expires_at", "pk")
            .first()
        )
        if candidate is None:
            return expired
        with transaction.atomic():
            groups = round_lock(candidate.session)
            entry = (
                WaitlistEntry.objects.select_for_update()
                .filter(pk=candidate.pk, status=WaitlistEntry.Status.OFFERED, offer_expires_at__lte=timezone.now())
                .first()
            )
            if entry is None:
                continue
            entry.status = WaitlistEntry.Status.EXPIRED
            entry.save(update_fields=["status"])
            seat_release(session=groups[entry.session_id])
            expired += 1
