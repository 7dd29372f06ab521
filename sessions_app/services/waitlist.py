"""The waitlist: joining, leaving, accepting a held seat, and offers that run out."""

import datetime
from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, When
from django.utils import timezone

from peers.models import User
from sessions_app import notify
from sessions_app.models import Booking, Session, WaitlistEntry
from sessions_app.services.booking import (
    round_key,
    round_lock,
    rounds_lock,
    seat_move,
    seat_release,
    seat_take,
    session_check_bookable,
)

# Offers expired and passed on per transaction: the batch holds its rounds' locks while it
# renders the next people's offers (about 3 ms each).
BATCH = 60


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
    """Sweep: expire offers past their time and pass each seat on, up to BATCH offers a
    transaction. Returns offers expired.

    1. Read up to BATCH expired offers without locking them (nothing due: this one query).
    2. Lock every group of their rounds in id order, then the offers (SKIP LOCKED): the
       order accepting an offer takes them in (`waitlist_accept`), so the sweep and an
       acceptance never deadlock, and two sweeps' batches lock rounds in one global order.
    3. Re-check the offers under their locks: one an acceptance (or another sweep) got to
       first is no longer an open, expired offer and is left alone, so exactly one wins.
    4. Expire them and hand their seats on together (`_seats_pass_on`).
    """
    expired = 0
    while True:
        candidates = list(
            WaitlistEntry.objects.filter(status=WaitlistEntry.Status.OFFERED, offer_expires_at__lte=timezone.now())
            .select_related("session")
            .order_by("offer_expires_at", "pk")[:BATCH]
        )
        if not candidates:
            return expired
        with transaction.atomic():
            groups = rounds_lock([candidate.session for candidate in candidates])
            entries = list(
                WaitlistEntry.objects.select_for_update(skip_locked=True)
                .filter(
                    pk__in=[candidate.pk for candidate in candidates],
                    status=WaitlistEntry.Status.OFFERED,
                    offer_expires_at__lte=timezone.now(),
                )
                .order_by("offer_expires_at", "pk")
            )
            if entries:
                WaitlistEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(
                    status=WaitlistEntry.Status.EXPIRED
                )
                _seats_pass_on([groups[entry.session_id] for entry in entries], groups)
        expired += len(entries)
        if len(candidates) < BATCH:
            return expired


def _seats_pass_on(freed: list[Session], groups: dict[int, Session]) -> None:
    """`seat_release` for a batch of freed seats (a session once per seat), with every
    group of their rounds locked (`groups`), in a fixed number of queries: the people
    waiting with their users, who holds a seat or an open offer in those rounds, the
    offers in one UPDATE, the seats nobody takes in another, the notifications together.
    Seats go out in the batch's order, so someone waiting in two groups of a round is
    offered one of them, as one `seat_release` after another would."""
    now = timezone.now()
    open_ids = {session.pk for session in freed if now < session.booking_closes_at()}
    queues, taken = _waiting_and_taken(open_ids, groups)
    offers, unused = [], Counter()
    for session in freed:
        queue = queues.get(session.pk, [])
        entry = next((e for e in queue if (session.round_key, e.user_id) not in taken), None)
        if entry is None:
            unused[session.pk] += 1
            continue
        queue.remove(entry)
        taken.add((session.round_key, entry.user_id))
        hours = session.program.session_settings.waitlist_offer_hours
        entry.status, entry.offered_at, entry.session = WaitlistEntry.Status.OFFERED, now, session
        entry.offer_expires_at = min(now + datetime.timedelta(hours=hours), session.booking_closes_at())
        offers.append(entry)
    if offers:
        WaitlistEntry.objects.bulk_update(offers, ["status", "offered_at", "offer_expires_at"])
        notify.waitlist_offers(offers)
    if unused:
        Session.objects.filter(pk__in=unused).update(
            seats_taken=Case(*(When(pk=pk, then=F("seats_taken") - n) for pk, n in unused.items()))
        )


def _waiting_and_taken(
    open_ids: set[int], groups: dict[int, Session]
) -> tuple[dict[int, list[WaitlistEntry]], set[tuple[str, int]]]:
    """The people waiting on each session still open for booking, first come first; and
    the (round, person) pairs already holding a seat or an open offer in those rounds."""
    if not open_ids:
        return {}, set()
    queues = defaultdict(list)
    waiting = WaitlistEntry.objects.filter(session__in=open_ids, status=WaitlistEntry.Status.WAITING)
    for entry in waiting.select_related("user").order_by("created_at", "pk"):
        queues[entry.session_id].append(entry)
    keys = {groups[pk].round_key for pk in open_ids}
    seated = Booking.objects.filter(round_key__in=keys, status=Booking.Status.BOOKED).values_list("round_key", "user")
    offered = WaitlistEntry.objects.filter(session__in=groups, status=WaitlistEntry.Status.OFFERED)
    taken = set(seated) | {(groups[s].round_key, user) for s, user in offered.values_list("session", "user")}
    return queues, taken
