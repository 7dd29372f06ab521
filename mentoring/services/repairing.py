"""Re-pairing during the year: a coordinator moves a mentee to another pair, replaces a
mentor who withdraws, or dissolves a pair after a poor fit.

What stays where: a contact, a meeting and an outreach keep the pair they were made in,
so the mentee keeps seeing every contact they made and the mentors who took part keep
what they logged (and can still answer a contact that waits); only the mentee's place
(`Mentee.pair`) moves, so what the mentee writes next goes to the new pair alone. A
replaced mentor leaves the pair and everything of it; the mentor who comes in sees the
pair as their partner does. Every change is a `PairChange` row, never deleted: the
history of who mentored whom.

Each service takes the cycle's row lock (the one selection and withdrawal take), so two
coordinators acting at once act one after the other, and the second sees what the first
did; each kind of change has a UNIQUE behind the lock. The notices are written in the
same transaction (their delivery is queued after it commits), so a refused change tells
nobody. Acting again is safe: a mentee
already in the pair, a mentor already replaced or a pair already dissolved change nothing
and return None.

A replacement may be taken from another running pair of the cycle; that pair keeps its
other mentor and runs with one until its empty seat is filled (`pair_mentor_replace`)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from mentoring import access, notify
from mentoring.models import Application, Mentee, MentoringCycle, MentorPair, PairChange
from peers.models import User

SEATS = {3: "third_year", 4: "fourth_year"}


def _lock(cycle_id: int) -> None:
    MentoringCycle.objects.select_for_update().filter(pk=cycle_id).first()


def _current_pair(pk: int) -> MentorPair | None:
    return MentorPair.objects.current().select_related("cycle__program").filter(pk=pk).first()


def mentee_move(*, mentee: Mentee, to_pair: MentorPair, by: User, reason: str = "") -> PairChange | None:
    """Move a mentee's place to another published pair of the same kind and cycle.

    1. Check the coordinator's program, lock the cycle, re-read the place and the pair.
    2. Already in that pair (a second click, or another coordinator's move): nothing.
    3. Record the move (numbered per mentee), move the place, tell the mentee and both pairs."""
    access.repairing_guard(user=by, cycle=mentee.cycle)
    with transaction.atomic():
        _lock(mentee.cycle_id)
        mentee = Mentee.objects.select_related("user", "pair", "cycle").get(pk=mentee.pk)
        target = _current_pair(to_pair.pk)
        if target is None or target.cycle_id != mentee.cycle_id:
            raise ValidationError("That pair is not a published pair of this cycle; choose another.")
        if target.is_md_phd != mentee.md_phd:
            raise ValidationError(
                "An MD/PhD place moves only to an MD/PhD pair, and a learning-community place only to a "
                "learning-community pair."
            )
        if mentee.pair_id == target.pk:
            return None
        change = _move(mentee, target, by=by, reason=reason)
    return change


def _move(mentee: Mentee, target: MentorPair, *, by: User, reason: str) -> PairChange:
    """The move itself; the caller holds the cycle's lock."""
    left = mentee.pair
    change = PairChange.objects.create(
        kind=PairChange.Kind.MOVED,
        cycle_id=mentee.cycle_id,
        pair=left,
        mentee=mentee,
        to_pair=target,
        sequence=PairChange.objects.filter(kind=PairChange.Kind.MOVED, mentee=mentee).count() + 1,
        reason=reason.strip() or None,
        by=by,
        at=timezone.now(),
    )
    mentee.pair = target
    mentee.save(update_fields=["pair"])
    _tell_move(change)
    return change


def _tell_move(change: PairChange) -> None:
    change = PairChange.objects.select_related(
        "cycle__program", "mentee__user", "to_pair__third_year", "to_pair__fourth_year", "to_pair__faculty_mentor"
    ).get(pk=change.pk)
    left = MentorPair.objects.select_related("third_year", "fourth_year", "faculty_mentor").get(pk=change.pair_id)
    notify.mentee_moved(change, change.mentee.user, side="mentee")
    for person in (*left.mentors(), left.faculty_mentor):
        notify.mentee_moved(change, person, side="left")
    for person in (*change.to_pair.mentors(), change.to_pair.faculty_mentor):
        notify.mentee_moved(change, person, side="joined")


def pair_mentor_replace(
    *,
    pair: MentorPair,
    outgoing: User,
    incoming: User,
    by: User,
    reason: str = "",
    from_pair: MentorPair | None = None,
) -> PairChange | None:
    """Put `incoming` in the place of `outgoing`, who withdraws from the pair, or in the
    seat `outgoing` left empty when a coordinator took them to another pair.

    `incoming` comes from the waitlist or is a free mentor; or, with `from_pair`, is
    taken from another running pair of the same cycle. That donor pair keeps its other
    mentor and goes on with one (its seat empty, its mentees, contacts and meetings
    untouched, its remaining mentor on duty alone and the faculty mentor covering when
    they are away); the re-pairing page lists it as "one mentor" until a coordinator
    fills the seat the same way. A pair's last mentor is never taken.

    1. Check the coordinator's program, lock the cycle, re-read the pair.
    2. `outgoing` already replaced in this pair (no longer in it, their seat not left
       empty): nothing (None). A mentor taken back to the pair they left may leave it
       again: each departure from a pair is numbered (`sequence`).
    3. `incoming` must have applied for the same entering year (and kind): from the
       waitlist (or offered a place), or selected and in no current pair (a mentor of a
       dissolved pair, or one left without a partner), or a mentor of `from_pair`.
    4. The outgoing application is marked withdrawn (not when an empty seat is filled:
       that mentor mentors elsewhere), the incoming one selected; the donor's seat is
       emptied before the pair takes the new mentor (one current pair per mentor, a
       UNIQUE); everyone of both pairs is told once."""
    access.repairing_guard(user=by, cycle=pair.cycle)
    with transaction.atomic():
        _lock(pair.cycle_id)
        pair = MentorPair.objects.select_related("cycle__program").get(pk=pair.pk)
        departures = PairChange.objects.filter(kind=PairChange.Kind.REPLACED, pair=pair, mentor_out=outgoing)
        if not pair.has_peer_mentor(outgoing) and not _left_empty(pair, outgoing) and departures.exists():
            return None
        seat, filling = _seat_of(pair, outgoing)
        year = 3 if seat == "third_year" else 4
        donor, donor_seat = _donor(pair, from_pair, incoming) if from_pair is not None else (None, None)
        incoming_application = _applicant(pair, incoming, year=year, free=donor is None)
        change = PairChange.objects.create(
            kind=PairChange.Kind.REPLACED,
            cycle_id=pair.cycle_id,
            pair=pair,
            mentor_out=outgoing,
            mentor_in=incoming,
            from_pair=donor,
            sequence=departures.count() + 1,
            reason=reason.strip() or None,
            by=by,
            at=timezone.now(),
        )
        if donor is not None:
            setattr(donor, donor_seat, None)
            donor.save(update_fields=[donor_seat])
        setattr(pair, seat, incoming)
        pair.save(update_fields=[seat])
        if not filling:
            Application.objects.filter(cycle=pair.cycle_id, applicant=outgoing).update(
                status=Application.Status.WITHDRAWN, offer_expires_at=None
            )
        if incoming_application.status != Application.Status.SELECTED:
            incoming_application.status, incoming_application.offer_expires_at = Application.Status.SELECTED, None
            incoming_application.save(update_fields=["status", "offer_expires_at"])
        _tell_replacement(change, filling=filling)
    return change


def _seat_of(pair: MentorPair, outgoing: User) -> tuple[str, bool]:
    """The seat `outgoing` holds, or the empty seat they left when they were taken to
    another pair (then True: the seat is filled, nobody withdraws)."""
    if pair.dissolved_at is not None or pair.published_at is None:
        raise ValidationError("Only a published pair that is not dissolved has mentors to replace.")
    for seat in SEATS.values():
        if getattr(pair, f"{seat}_id") == outgoing.pk:
            return seat, False
    if _left_empty(pair, outgoing):
        return pair.vacant_seat, True
    raise ValidationError(f"{outgoing.get_full_name()} is not a mentor of this pair.")


def _left_empty(pair: MentorPair, outgoing: User) -> bool:
    """The pair's seat is empty, and `outgoing` left it when taken to another pair."""
    left = PairChange.objects.filter(kind=PairChange.Kind.REPLACED, from_pair=pair, mentor_in=outgoing)
    return pair.vacant_seat is not None and left.exists()


def _donor(pair: MentorPair, from_pair: MentorPair, incoming: User) -> tuple[MentorPair, str]:
    """The running pair of the cycle `incoming` is taken from, and their seat in it."""
    donor = MentorPair.objects.select_for_update().get(pk=from_pair.pk)
    name = incoming.get_full_name()
    if donor.cycle_id != pair.cycle_id:
        raise ValidationError("A mentor can be taken only from another pair of this cycle.")
    if donor.pk == pair.pk:
        raise ValidationError(f"{name} is already in this pair: choose a mentor of another pair, or from the waitlist.")
    if donor.dissolved_at is not None or donor.published_at is None:
        raise ValidationError(
            "That pair is dissolved (or a draft): its mentors are free, so choose them from the waitlist and free "
            "mentors instead."
        )
    seat = next((seat for seat in SEATS.values() if getattr(donor, f"{seat}_id") == incoming.pk), None)
    if seat is None:
        raise ValidationError(f"{name} is not a mentor of the pair {donor} any more; reload the page and choose again.")
    if donor.vacant_seat is not None:
        raise ValidationError(
            f"{name} is the only mentor left in the pair {donor}: a pair keeps at least one mentor. "
            "Choose someone else, or fill that pair's empty seat first."
        )
    return donor, seat


def _applicant(pair: MentorPair, incoming: User, *, year: int, free: bool) -> Application:
    """`incoming`'s application for the place (same year and kind); `free`: they must be
    in no current pair (not taken from one)."""
    Status = Application.Status
    application = (
        Application.objects.select_for_update()
        .filter(cycle=pair.cycle_id, applicant=incoming, entering_year=year, is_md_phd=pair.is_md_phd)
        .first()
    )
    name = incoming.get_full_name()
    if application is None or application.status not in (Status.WAITLISTED, Status.OFFERED, Status.SELECTED):
        raise ValidationError(
            f"{name} is not on this cycle's waitlist or among its selected mentors for this place "
            f"(entering year {year}{', MD/PhD' if pair.is_md_phd else ''})."
        )
    other = MentorPair.objects.filter(cycle=pair.cycle_id, dissolved_at__isnull=True).filter(
        Q(third_year=incoming) | Q(fourth_year=incoming)
    )
    if free and (taken := other.first()) is not None:
        raise ValidationError(
            f'{name} already mentors in the pair {taken}. Choose them under "from another pair" to take them '
            "from it (it goes on with one mentor), dissolve that pair first, or choose someone free."
        )
    return application


def _tell_replacement(change: PairChange, *, filling: bool) -> None:
    """The pair's people (and the mentor who leaves, unless an empty seat was filled);
    then, for a mentor taken from another pair, that pair's people: each once (the
    same key, so a faculty mentor of both pairs gets the first notice only)."""
    change = PairChange.objects.select_related(
        "cycle__program", "mentor_out", "mentor_in", "pair__third_year", "pair__fourth_year", "pair__faculty_mentor"
    ).get(pk=change.pk)
    pair = change.pair
    people = ([] if filling else [change.mentor_out]) + [*pair.mentors(), pair.faculty_mentor]
    people += [m.user for m in pair.mentees.select_related("user")]
    for person in people:
        notify.mentor_replaced(change, person, filling=filling)
    if change.from_pair_id is None:
        return
    donor = MentorPair.objects.select_related("third_year", "fourth_year", "faculty_mentor").get(pk=change.from_pair_id)
    for person in (*donor.mentors(), donor.faculty_mentor, *(m.user for m in donor.mentees.select_related("user"))):
        notify.mentor_taken(change, donor, person)


def pair_dissolve(*, pair: MentorPair, by: User, reason: str = "") -> PairChange | None:
    """Dissolve a published pair: its mentees move to the smallest other current pair of
    the same kind (their learning community's first), then the pair is closed and its
    mentors are free to be paired again or to replace someone.

    1. Check the coordinator's program, lock the cycle, re-read the pair.
    2. Already dissolved: nothing (None). Refused if its mentees have nowhere to go.
    3. Move each mentee (a recorded move each, and they are told), close the pair, tell
       its mentors and faculty mentor."""
    access.repairing_guard(user=by, cycle=pair.cycle)
    with transaction.atomic():
        _lock(pair.cycle_id)
        pair = MentorPair.objects.select_related("cycle__program").get(pk=pair.pk)
        if pair.dissolved_at is not None:
            return None
        if pair.published_at is None:
            raise ValidationError("This pair is a draft: edit it or propose again instead of dissolving it.")
        pair.dissolved_at = timezone.now()
        pair.save(update_fields=["dissolved_at"])  # first, so each mentee's notice says the pair ended
        for mentee in pair.mentees.select_related("user", "pair", "cycle").order_by("pk"):
            _move(mentee, _destination(pair, mentee), by=by, reason=reason)
        change = PairChange.objects.create(
            kind=PairChange.Kind.DISSOLVED,
            cycle_id=pair.cycle_id,
            pair=pair,
            reason=reason.strip() or None,
            by=by,
            at=pair.dissolved_at,
        )
        _tell_dissolution(change)
    return change


def _destination(pair: MentorPair, mentee: Mentee) -> MentorPair:
    """The smallest other current pair of the same kind, the mentee's learning community's
    first (as cohorts are assigned); counted afresh, so earlier moves are seen."""
    others = (
        MentorPair.objects.current()
        .filter(cycle=pair.cycle_id, is_md_phd=pair.is_md_phd)
        .exclude(pk=pair.pk)
        .annotate(size=Count("mentees"))
    )
    same_community = (
        others.filter(learning_community=pair.learning_community_id) if pair.learning_community_id else others.none()
    )
    target = same_community.order_by("size", "pk").first() or others.order_by("size", "pk").first()
    if target is None:
        raise ValidationError(
            "There is no other published pair to move this pair's mentees to. Publish or replace a pair first."
        )
    return target


def _tell_dissolution(change: PairChange) -> None:
    pair = MentorPair.objects.select_related("cycle__program", "third_year", "fourth_year", "faculty_mentor").get(
        pk=change.pair_id
    )
    for person in (*pair.mentors(), pair.faculty_mentor):
        notify.pair_dissolved(change, pair, person)
