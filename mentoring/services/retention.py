"""Retention: mentoring's confidential words (a contact's message and the replies in its
thread, a meeting's notes, a referral's note and outcome note) are removed after the
program's `MentoringSettings.retention_days`, as support content is purged. What stays
is what the figures count: who, when, which channel, answered when, met when, referred
where; never the words.

The clocks: a contact from when it was answered (one still waiting keeps its message:
someone must still answer it), a meeting from the day it was held, a referral from when
it was made."""

import datetime

from django.db import transaction
from django.db.models import DateField, DateTimeField, DurationField, ExpressionWrapper, F, QuerySet, Subquery, Value
from django.db.models.functions import Cast
from django.utils import timezone

from mentoring.models import Contact, ContactReply, Meeting, MentoringSettings, MentorReferral
from mentoring.models.referrals import KEPT_NOTES

DAY = datetime.timedelta(days=1)


def mentoring_content_purge() -> int:
    """Sweep: remove what is past its program's retention; returns how many contacts,
    meetings and referrals this run emptied. With nothing due, three queries (one per
    kind), each on its partial index."""
    now = timezone.now()
    purged = sum(_contact_purge(pk) for pk in _contacts_due(now).values_list("pk", flat=True))
    purged += sum(_meeting_purge(pk) for pk in _meetings_due(now).values_list("pk", flat=True))
    purged += sum(_referral_purge(pk) for pk in _referrals_due(now).values_list("pk", flat=True))
    return purged


def _bounds(now: datetime.datetime, program: str) -> tuple:
    """(the shortest retention of any program, one InitPlan, before `now`; the row's
    program's retention before `now`). The first bounds the range read on the partial
    index, so rows within every program's retention are not read at all."""
    at = Value(now, output_field=DateTimeField())
    shortest = MentoringSettings.objects.order_by("retention_days").values("retention_days")[:1]
    shortest_kept = ExpressionWrapper(Subquery(shortest) * DAY, output_field=DurationField())
    kept_for = ExpressionWrapper(
        F(f"{program}__mentoring_settings__retention_days") * DAY, output_field=DurationField()
    )
    return (
        ExpressionWrapper(at - shortest_kept, output_field=DateTimeField()),
        ExpressionWrapper(at - kept_for, output_field=DateTimeField()),
    )


def _contacts_due(now: datetime.datetime) -> "QuerySet[Contact]":
    shortest, own = _bounds(now, "pair__cycle__program")
    return (
        Contact.objects.filter(answered_at__isnull=False, content_purged_at__isnull=True, answered_at__lte=shortest)
        .filter(answered_at__lte=own)
        .order_by("answered_at")
    )


def _meetings_due(now: datetime.datetime) -> "QuerySet[Meeting]":
    # A meeting's day is a date: due once the whole day is past the retention.
    shortest, own = _bounds(now, "pair__cycle__program")
    return (
        Meeting.objects.filter(notes__isnull=False, held_on__lt=Cast(shortest, DateField()))
        .filter(held_on__lt=Cast(own, DateField()))
        .order_by("held_on")
    )


def _referrals_due(now: datetime.datetime) -> "QuerySet[MentorReferral]":
    shortest, own = _bounds(now, "pair__cycle__program")
    return (
        MentorReferral.objects.filter(KEPT_NOTES, created_at__lte=shortest)
        .filter(created_at__lte=own)
        .order_by("created_at")
    )


def _contact_purge(pk: int) -> bool:
    """1. Claim the contact by stamping it purged only where it is not yet: a sweep
       running at the same time that got there first leaves nothing to claim.
    2. Delete the replies of its thread.
    Returns whether this sweep purged it."""
    with transaction.atomic():
        claimed = Contact.objects.filter(pk=pk, content_purged_at__isnull=True).update(
            message=None, content_purged_at=timezone.now()
        )
        if not claimed:
            return False
        ContactReply.objects.filter(contact_id=pk).delete()
        return True


def _meeting_purge(pk: int) -> bool:
    """Emptying the notes is the claim: only one sweep finds them still there."""
    return bool(Meeting.objects.filter(pk=pk, notes__isnull=False).update(notes=None))


def _referral_purge(pk: int) -> bool:
    return bool(MentorReferral.objects.filter(KEPT_NOTES, pk=pk).update(note=None, outcome_note=None))
