"""A mentor referring a situation beyond the relationship, and whom it was sent to
acknowledging it and recording what came of it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentoring import access, notify
from mentoring.models import Mentee, MentorPair, MentorReferral
from mentoring.selectors import coordinators_of
from peers.models import User


def referral_make(
    *, pair: MentorPair, mentor: User, to: str, category: str, note: str, mentee: Mentee | None = None
) -> MentorReferral:
    """A mentor refers a situation, naming the mentee or not. The faculty mentor, or the
    program's coordinators, are told that there is a referral and its category; the
    note and the mentee stay in the app, on the referral's page."""
    access.peer_mentor_guard(user=mentor, pair=pair, refusal="Only the pair's mentors make referrals.")
    if mentee is not None and mentee.pair_id != pair.pk:
        raise ValidationError("Choose one of your mentees, or none.")
    referral = MentorReferral(
        pair=pair, mentor=mentor, to=to, category=category, note=note.strip() or None, mentee=mentee
    )
    referral.full_clean()
    referral.save()
    for person in referral_recipients(referral):
        notify.mentor_referral(referral, person)
    return referral


def referral_recipients(referral: MentorReferral) -> list[User]:
    if referral.to == MentorReferral.To.FACULTY:
        return [referral.pair.faculty_mentor]
    return list(coordinators_of(program_id=referral.pair.cycle.program_id))


def referral_acknowledge(*, referral: MentorReferral, by: User) -> bool:
    """Whom it was sent to says they have it; the mentor who referred is told, once
    (the first acknowledgement claims the row). True if this call acknowledged it."""
    access.referral_recipient_guard(user=by, referral=referral)
    now = timezone.now()
    claimed = MentorReferral.objects.filter(pk=referral.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=by
    )
    if not claimed:
        return False
    referral.acknowledged_at, referral.acknowledged_by = now, by
    if referral.mentor is not None:
        notify.referral_acknowledged(referral)
    return True


def referral_record_outcome(*, referral: MentorReferral, by: User, outcome: str, note: str = "") -> MentorReferral:
    """Record what came of the referral (acknowledging it first if it was not yet)."""
    access.referral_recipient_guard(user=by, referral=referral)
    if outcome not in MentorReferral.Outcome.values:
        raise ValidationError("Choose what came of the referral.")
    with transaction.atomic():
        referral_acknowledge(referral=referral, by=by)
        referral = MentorReferral.objects.select_for_update().get(pk=referral.pk)
        referral.outcome, referral.outcome_note, referral.outcome_at = outcome, note.strip() or None, timezone.now()
        referral.full_clean()
        referral.save(update_fields=["outcome", "outcome_note", "outcome_at"])
    return referral
