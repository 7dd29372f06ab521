"""Booking a seat, cancelling it, and handing a freed seat to the waitlist. Every seat
change runs with the session's row locked; the CHECK seats_taken <= capacity backs it up."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from peers.models import User
from sessions_app import notify
from sessions_app.models import Booking, Session, WaitlistEntry

FULL = "This session is full. You can join its waitlist instead."


def booking_create(*, session: Session, user: User, by_coordinator: bool = False) -> Booking:
    """Book one seat for a trainee (or, `by_coordinator`, a coordinator books it for them;
    the same lock and CHECK hold the capacity, and the trainee is told who booked it).

    1. Lock the session row (every seat change takes this lock), with its round's other
       groups (a seat here releases the trainee's offers there).
    2. Refuse a cancelled, past or closed session, or a second seat in the same round;
       return the existing booking if there is one.
    3. Take a seat if one is free; the CHECK seats_taken <= capacity backs the lock up.
    Raises ValidationError with a message for the trainee.
    """
    with transaction.atomic():
        session = round_lock(session)[session.pk]
        session_check_bookable(session=session)
        existing = Booking.objects.filter(session=session, user=user, status=Booking.Status.BOOKED).first()
        if existing:
            return existing
        if session.seats_left == 0:
            raise ValidationError(FULL, code="full")
        booking = seat_take(session=session, user=user)
    if by_coordinator:
        notify.booking_made_for(booking)
    else:
        notify.booking_confirmed(booking)
    return booking


def session_check_bookable(*, session: Session) -> None:
    if session.status == Session.Status.CANCELLED:
        raise ValidationError("This session was cancelled, so it can't be booked.")
    if session.status != Session.Status.SCHEDULED or session.starts_at <= timezone.now():
        raise ValidationError("This session has already taken place.")
    if timezone.now() >= session.booking_closes_at():
        raise ValidationError("Booking for this session has closed.")


def round_lock(session: Session) -> dict[int, Session]:
    """Lock every group of the session's round, in id order, so that two people booking,
    switching or accepting in one round never deadlock. Returns the locked groups by id."""
    return {group.pk: group for group in round_sessions(session).select_for_update().order_by("pk")}


def rounds_lock(sessions: list[Session]) -> dict[int, Session]:
    """`round_lock` for the rounds of many sessions at once, in one query: every group of
    each round, all in id order (the order every seat change takes), with their programs'
    session settings. Returns the locked groups by id."""
    rounds = Q()
    for session in {session.round_key: session for session in sessions}.values():
        if session.series_id is None:
            rounds |= Q(pk=session.pk)
        else:
            rounds |= Q(series=session.series_id, round_date=session.round_date)
    locked = Session.objects.filter(rounds).select_for_update(of=("self",)).order_by("pk")
    return {group.pk: group for group in locked.select_related("program__session_settings")}


def round_key(session: Session) -> str:
    return session.round_key


def seat_take(*, session: Session, user: User, seat_already_held: bool = False) -> Booking:
    """Create the booking and count the seat with an SQL increment, so that the CHECK
    seats_taken <= capacity refuses an overbooking even if a caller forgot the lock."""
    try:
        with transaction.atomic():
            booking = Booking.objects.create(session=session, user=user, round_key=round_key(session))
            if not seat_already_held:
                Session.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") + 1)
    except IntegrityError as error:
        if "session_never_overbooked" in str(error):
            raise ValidationError(FULL, code="full") from None
        raise ValidationError("You already have a seat in this round. Switch to this group from its page instead.")
    session.refresh_from_db(fields=["seats_taken"])
    round_places_end(session=session, user=user)
    return booking


def seat_move(*, booking: Booking, to: Session, old: Session, seat_already_held: bool = False) -> Booking:
    """With the round locked (both rounds, for a coordinator's move to another round): the
    booking's seat moves from `old` to `to`; the seat left in `old` goes to the first
    person waiting there."""
    try:
        with transaction.atomic():
            if not seat_already_held:
                Session.objects.filter(pk=to.pk).update(seats_taken=F("seats_taken") + 1)
            Booking.objects.filter(pk=booking.pk).update(session=to, round_key=round_key(to))
    except IntegrityError:
        raise ValidationError("That group is full. You keep your seat in your group.", code="full") from None
    booking.session, booking.round_key = to, round_key(to)
    seat_release(session=old)
    round_places_end(session=to, user=booking.user)
    return booking


def round_places_end(*, session: Session, user: User) -> None:
    """A seat in this round ends every wait and every open offer of `user` in the round's
    other groups; each offer's held seat goes to the next person at once. The caller holds
    the round's locks; an offer the expiry sweep holds is skipped (the sweep passes it on)."""
    others = round_sessions(session).exclude(pk=session.pk)
    WaitlistEntry.objects.filter(user=user, status=WaitlistEntry.Status.WAITING, session__in=others).update(
        status=WaitlistEntry.Status.LEFT
    )
    offers = WaitlistEntry.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        user=user, status=WaitlistEntry.Status.OFFERED, session__in=others
    )
    for offer in offers.select_related("session__program__session_settings"):
        offer.status = WaitlistEntry.Status.LEFT
        offer.save(update_fields=["status"])
        seat_release(session=offer.session)


def round_sessions(session: Session) -> QuerySet[Session]:
    if session.series_id is None:
        return Session.objects.filter(pk=session.pk)
    return Session.objects.filter(series=session.series_id, round_date=session.round_date)


def booking_cancel(*, booking: Booking, by_coordinator: bool = False) -> None:
    """Cancel a booking before the cut-off and offer the seat to the first person waiting.
    A coordinator removing a booking (`by_coordinator`) may do so up to the start; the
    seat goes to the waitlist just the same and the trainee is told it was removed."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=booking.session_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != Booking.Status.BOOKED:
            return
        closes = session.starts_at if by_coordinator else session.booking_closes_at()
        if timezone.now() >= closes:
            raise ValidationError("It's too close to the start to cancel here. Please tell your facilitators.")
        booking.status, booking.cancelled_at = Booking.Status.CANCELLED, timezone.now()
        booking.save(update_fields=["status", "cancelled_at"])
        seat_release(session=session)
    booking.session = session
    if by_coordinator:
        notify.booking_removed(booking)
    else:
        notify.booking_cancelled(booking)


def seat_release(*, session: Session) -> None:
    """With the session locked: hand the freed seat to the first person waiting (who has
    no seat in this round yet), or free it. After the booking cut-off nobody could
    accept in time, so the seat is simply freed."""
    entry = _first_eligible_waiting(session) if timezone.now() < session.booking_closes_at() else None
    if entry is None:
        Session.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") - 1)
        session.refresh_from_db(fields=["seats_taken"])
        return
    hours = session.program.session_settings.waitlist_offer_hours
    entry.status, entry.offered_at = WaitlistEntry.Status.OFFERED, timezone.now()
    entry.offer_expires_at = min(entry.offered_at + datetime.timedelta(hours=hours), session.booking_closes_at())
    entry.save(update_fields=["status", "offered_at", "offer_expires_at"])
    entry.session = session
    notify.waitlist_offer(entry)


def _first_eligible_waiting(session: Session) -> WaitlistEntry | None:
    """The first person waiting who holds neither a seat nor an open offer in the round."""
    holding = Booking.objects.filter(round_key=round_key(session), status=Booking.Status.BOOKED).values("user")
    offered = WaitlistEntry.objects.filter(
        session__in=round_sessions(session), status=WaitlistEntry.Status.OFFERED
    ).values("user")
    return (
        session.waitlist.filter(status=WaitlistEntry.Status.WAITING)
        .exclude(user__in=holding)
        .exclude(user__in=offered)
        .order_by("created_at", "pk")
        .first()
    )
