"""A round's groups: booking the round (placed in the emptiest group), switching group
without losing the seat, and waiting for any group of a full round. Each runs with every
group of the round locked (`round_lock`, in id order)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from peers.models import User
from sessions_app import notify
from sessions_app.models import Booking, Session, WaitlistEntry
from sessions_app.services.booking import (
    round_key,
    round_lock,
    seat_move,
    seat_take,
    session_check_bookable,
)

ROUND_FULL = "Every group of this round is full. You can join the round's waitlist instead."


def _round_booking(*, session: Session, user: User) -> Booking | None:
    return Booking.objects.filter(user=user, round_key=round_key(session), status=Booking.Status.BOOKED).first()


def round_book(*, session: Session, user: User) -> Booking:
    """Book a seat in the round of `session`, in the group with the most free seats (the
    lowest number on a tie). A trainee who already has a seat in the round keeps it."""
    with transaction.atomic():
        groups = sorted(round_lock(session).values(), key=lambda group: group.group_number)
        existing = _round_booking(session=session, user=user)
        if existing:
            return existing
        open_groups = [group for group in groups if _bookable(group) and group.seats_left]
        if not open_groups:
            session_check_bookable(session=groups[0])  # says why when the round is over or closed
            raise ValidationError(ROUND_FULL, code="full")
        target = max(open_groups, key=lambda group: (group.seats_left, -group.group_number))
        booking = seat_take(session=target, user=user)
    notify.booking_confirmed(booking)
    return booking


def _bookable(session: Session) -> bool:
    try:
        session_check_bookable(session=session)
    except ValidationError:
        return False
    return True


def booking_switch(*, booking: Booking, to: Session) -> Booking:
    """Move a trainee's seat to another group of the same round, in one step.

    1. Lock the round's groups, then the booking (a cancellation takes them in this order).
    2. Refuse a booking no longer held, a group of another round, a group that cannot be
       booked, or one without a free seat: the trainee keeps the seat they had.
    3. Move the booking, count the seat in the new group (the CHECK refuses a full one),
       and hand the old group's seat to the first person waiting there.
    """
    with transaction.atomic():
        groups = round_lock(booking.session)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != Booking.Status.BOOKED:
            raise ValidationError("You no longer have a seat in this round, so there is nothing to switch.")
        if booking.session_id == to.pk:
            return booking
        if to.pk not in groups:
            raise ValidationError("You can switch only to another group of the same round.")
        to = groups[to.pk]
        session_check_bookable(session=to)
        if timezone.now() >= groups[booking.session_id].booking_closes_at():
            raise ValidationError("It's too close to the start to switch groups. Please tell your facilitators.")
        if to.seats_left == 0:
            raise ValidationError("That group is full. You keep your seat in your group.", code="full")
        old = groups[booking.session_id]
        booking = seat_move(booking=booking, to=to, old=old)
    notify.booking_switched(booking, old)
    return booking


def round_waitlist_join(*, session: Session, user: User) -> list[WaitlistEntry]:
    """Wait for any group of a full round: one place on each group's waitlist, so the
    first seat freed in any group is offered to whoever has waited longest for it."""
    with transaction.atomic():
        groups = [group for group in round_lock(session).values() if _bookable(group)]
        if not groups:
            session_check_bookable(session=session)
        if _round_booking(session=session, user=user):
            raise ValidationError("You already have a seat in this round.")
        if any(group.seats_left for group in groups):
            raise ValidationError("This round still has seats: book one instead.")
        return [_wait_for(group, user) for group in sorted(groups, key=lambda group: group.pk)]


def _wait_for(group: Session, user: User) -> WaitlistEntry:
    entry, _ = WaitlistEntry.objects.get_or_create(
        session=group, user=user, status__in=WaitlistEntry.OPEN, defaults={"status": WaitlistEntry.Status.WAITING}
    )
    return entry
