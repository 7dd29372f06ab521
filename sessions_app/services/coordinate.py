"""A coordinator acting for trainees beyond booking and removing (booking.py): moving a
booking to another group or another session of the program, promoting someone from the
waitlist, and writing to one session's booked trainees. Seat changes take the same locks
(`round_lock`'s order: every group locked by id) and the same CHECK as a trainee's own."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sessions_app import notify
from sessions_app.models import Booking, Session, WaitlistEntry
from sessions_app.services.booking import (
    round_key,
    rounds_lock,
    seat_move,
    seat_release,
    seat_take,
    session_check_bookable,
)

SUBJECT_MAX = 120
TEXT_MAX = 2000
MESSAGE_LIMITS = {"subject": SUBJECT_MAX, "text": TEXT_MAX}


def _rounds_lock(*sessions: Session) -> dict[int, Session]:
    """Lock every group of each given session's round together, in id order (the order
    every seat change takes), so a move across two rounds never deadlocks with a
    booking in either."""
    return rounds_lock(list(sessions))


def booking_move(*, booking: Booking, to: Session) -> Booking:
    """A coordinator moves a trainee's seat to another group of the round or to another
    session of the program, in one locked step: the trainee keeps their seat unless the
    new one is taken.

    1. Lock both rounds' groups (id order), then the booking.
    2. Refuse a booking no longer held, a session of another program or one that cannot
       be booked, a trainee who already has a seat in the target's round, and a full
       target (a seat held for an open offer counts as taken).
    3. Move the booking (the CHECK seats_taken <= capacity backs the lock up); the old
       seat goes to the first person waiting there, as for a cancellation.
    """
    with transaction.atomic():
        groups = _rounds_lock(booking.session, to)
        booking = Booking.objects.select_for_update(of=("self",)).select_related("user").get(pk=booking.pk)
        if booking.status != Booking.Status.BOOKED:
            raise ValidationError("This booking was cancelled meanwhile, so there is nothing to move.")
        if booking.session_id == to.pk:
            return booking
        old, to = groups[booking.session_id], groups[to.pk]
        if to.program_id != old.program_id:
            raise ValidationError("A booking can move only to another session of the same program.")
        if timezone.now() >= old.starts_at:
            raise ValidationError("This session has started, so its bookings can no longer be moved.")
        session_check_bookable(session=to)
        if round_key(to) != round_key(old):
            mine = Booking.objects.filter(user=booking.user, round_key=round_key(to), status=Booking.Status.BOOKED)
            if mine.exists():
                raise ValidationError(f"{booking.user} already has a seat in that round, so they keep this one.")
        own = WaitlistEntry.objects.select_for_update().filter(
            session=to, user=booking.user, status__in=WaitlistEntry.OPEN
        )
        own = own.first()
        offered = own is not None and own.status == WaitlistEntry.Status.OFFERED  # their seat is held there
        if not offered and to.seats_left == 0:
            raise ValidationError(f"That session is full: {booking.user} keeps their seat here.", code="full")
        booking = seat_move(booking=booking, to=to, old=old, seat_already_held=offered)
        if own:
            own.status = WaitlistEntry.Status.ACCEPTED
            own.save(update_fields=["status"])
    notify.booking_moved(booking, old)
    return booking


def waitlist_promote(*, entry: WaitlistEntry) -> Booking:
    """A coordinator books a waiting trainee straight into a free seat of the session.

    1. Lock the round's groups, then the entry.
    2. Refuse an entry no longer waiting, a session that cannot be booked, and a full
       session: a seat held for someone else's open offer stays theirs.
    3. Book the seat (or, for a trainee with a seat in another group of the round, move
       it here; their old seat goes to the next person). As with any booking, it ends the
       trainee's other waits and open offers in the round; this entry is accepted.
    An entry already offered a seat is promoted into that held seat.
    """
    with transaction.atomic():
        groups = _rounds_lock(entry.session)
        session = groups[entry.session_id]
        entry = WaitlistEntry.objects.select_for_update(of=("self",)).select_related("user").get(pk=entry.pk)
        if entry.status not in WaitlistEntry.OPEN:
            raise ValidationError(f"{entry.user} is no longer on this session's waitlist.")
        held = Booking.objects.filter(round_key=round_key(session), user=entry.user, status=Booking.Status.BOOKED)
        held = held.select_for_update().first()
        if held and held.session_id == session.pk:  # already booked here: the wait is simply over
            was_offered = entry.status == WaitlistEntry.Status.OFFERED
            entry.status = WaitlistEntry.Status.ACCEPTED
            entry.save(update_fields=["status"])
            if was_offered:
                seat_release(session=session)  # the seat held for the offer goes to the next person
            return held
        session_check_bookable(session=session)
        offered = entry.status == WaitlistEntry.Status.OFFERED
        if not offered and session.seats_left == 0:
            raise ValidationError(
                f"This session is full, so {entry.user} stays on the waitlist. Seats held for an open offer "
                "stay with the person offered them until the offer ends.",
                code="full",
            )
        old = groups[held.session_id] if held else None
        if held:
            booking = seat_move(booking=held, to=session, old=old, seat_already_held=offered)
        else:
            booking = seat_take(session=session, user=entry.user, seat_already_held=offered)
        entry.status = WaitlistEntry.Status.ACCEPTED
        entry.save(update_fields=["status"])
    notify.waitlist_promoted(booking, old)
    return booking


def session_message_problems(*, subject: str, text: str) -> list[str]:
    problems = []
    if not subject.strip():
        problems.append("Please give the message a subject.")
    elif len(subject) > SUBJECT_MAX:
        problems.append(f"Please keep the subject to {SUBJECT_MAX} characters (it has {len(subject)}).")
    if not text.strip():
        problems.append("Please write the message.")
    elif len(text) > TEXT_MAX:
        problems.append(f"Please keep the message to {TEXT_MAX} characters (it has {len(text)}).")
    return problems


def session_message_send(*, session: Session, subject: str, text: str, token: str = "") -> int:
    """Write to the session's booked trainees: each gets their own notification (one
    recipient per row, so nobody sees who else is booked). The dedupe key hashes the
    session, the words and the form's one-time `token` (without one: the minute), so a
    double submit sends once. Returns how many were sent now (0 for a repeat)."""
    subject, text = subject.strip(), text.strip()
    problems = session_message_problems(subject=subject, text=text)
    if problems:
        raise ValidationError(problems)
    token = token or f"{timezone.now():%Y%m%dT%H%M}"
    digest = hashlib.sha256(f"{session.pk}\n{token}\n{subject}\n{text}".encode()).hexdigest()[:32]
    booked = Booking.objects.filter(session=session, status=Booking.Status.BOOKED).select_related("user")
    recipients = [booking.user for booking in booked.order_by("pk")]
    return notify.session_message(session, recipients, subject=subject, text=text, digest=digest)
