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
and return None."""

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
    *, pair: MentorPair, outgoing: User, incoming: User, by: User, reason: str = ""
) -> PairChange | None:
    """Put `incoming` in the place of `outgoing`, who withdraws from the pair.

    1. Check the coordinator's program, lock the cycle, re-read the pair.
    2. `outgoing` already replaced in this pair: nothing (None).
    3. `incoming` must have applied for the same entering year (and kind) and be free:
       from the waitlist (or offered a place), or selected and in no current pair (a
       mentor of a dissolved pair, or one left without a partner).
    4. The outgoing application is marked withdrawn, the incoming one selected; the pair
       takes the new mentor; everyone of the pair is told."""
    access.repairing_guard(user=by, cycle=pair.cycle)
    with transaction.atomic():
        _lock(pair.cycle_id)
        pair = MentorPair.objects.select_related("cycle__program").get(pk=pair.pk)
        if PairChange.objects.filter(kind=PairChange.Kind.REPLACED, pair=pair, mentor_out=outgoing).exists():
            return None
        seat = _seat_of(pair, outgoing)
        incoming_application = _free_applicant(pair, incoming, year=3 if seat == "third_year" else 4)
        change = PairChange.objects.create(
            kind=PairChange.Kind.REPLACED,
            cycle_id=pair.cycle_id,
            pair=pair,
            mentor_out=outgoing,
            mentor_in=incoming,
            reason=reason.strip() or None,
            by=by,
            at=timezone.now(),
        )
        setattr(pair, seat, incoming)
        pair.save(update_fields=[seat])
        Application.objects.filter(cycle=pair.cycle_id, applicant=outgoing).update(
            status=Application.Status.WITHDRAWN, offer_expires_at=None
        )
        if incoming_application.status != Application.Status.SELECTED:
            incoming_application.status, incoming_application.offer_expires_at = Application.Status.SELECTED, None
            incoming_application.save(update_fields=["status", "offer_expires_at"])
        _tell_replacement(change)
    return change


def _seat_of(pair: MentorPair, outgoing: User) -> str:
    if pair.dissolved_at is not None or pair.published_at is None:
        raise ValidationError("Only a published pair that is not dissolved has mentors to replace.")
    for seat in SEATS.values():
        if getattr(pair, f"{seat}_id") == outgoing.pk:
            return seat
    raise ValidationError(f"{outgoing.get_full_name()} is not a mentor of this pair.")


def _free_applicant(pair: MentorPair, incoming: User, *, year: int) -> Application:
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
    if (taken := other.first()) is not None:
        raise ValidationError(
            f"{name} already mentors in the pair {taken}. Dissolve that pair first, or choose someone free."
        )
    return application


def _tell_replacement(change: PairChange) -> None:
    change = PairChange.objects.select_related(
        "cycle__program", "mentor_out", "mentor_in", "pair__third_year", "pair__fourth_year", "pair__faculty_mentor"
    ).get(pk=change.pk)
    pair = change.pair
    people = [change.mentor_out, *pair.mentors(), pair.faculty_mentor]
    people += [m.user for m in pair.mentees.select_related("user")]
    for person in people:
        notify.mentor_replaced(change, person)


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
