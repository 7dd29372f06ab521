"""Retention: closed requests lose their content after the program's retention period."""

import datetime

import pghistory.models
from django.db import transaction
from django.db.models import DateTimeField, DurationField, ExpressionWrapper, F, QuerySet, Subquery, Value
from django.utils import timezone

from support_requests.models import Outreach, RequesterMessage, SupportNote, SupportRequest, SupportSettings

DAY = datetime.timedelta(days=1)


def requests_purge() -> int:
    """Sweep: empty the content of requests closed longer than the program's retention
    period, keeping only the de-identified row (program, reason, dates, outcome)."""
    return sum(_purge(request) for request in _purge_due(timezone.now()))


def _purge_due(now: datetime.datetime) -> "QuerySet[SupportRequest]":
    """The requests past their program's retention, in one query. The shortest retention
    of any program (one InitPlan) bounds the range read on the partial index, so requests
    still within every program's retention are not read at all."""
    at = Value(now, output_field=DateTimeField())
    kept_for = ExpressionWrapper(F("program__support_settings__retention_days") * DAY, output_field=DurationField())
    shortest = SupportSettings.objects.order_by("retention_days").values("retention_days")[:1]
    shortest_kept = ExpressionWrapper(Subquery(shortest) * DAY, output_field=DurationField())
    return (
        SupportRequest.objects.filter(
            closed_at__isnull=False, purged_at__isnull=True, closed_at__lte=at - shortest_kept
        )
        .filter(closed_at__lte=at - kept_for)
        .only("pk")
        .order_by("closed_at")
    )


def _purge(request: SupportRequest) -> bool:
    """1. Claim the request by emptying it only where it is not purged yet: a sweep
       running at the same time that got there first leaves nothing to claim.
    2. Delete its notes, then its history.
    Returns whether this sweep purged it."""
    with transaction.atomic():
        claimed = SupportRequest.objects.filter(pk=request.pk, purged_at__isnull=True).update(
            description=None,
            contact_details=None,
            screening=None,
            preferences=None,
            requester_department=None,
            department_picked=None,
            requester=None,
            purged_at=timezone.now(),
        )
        if not claimed:
            return False
        SupportNote.objects.filter(request=request).delete()
        RequesterMessage.objects.filter(request=request).delete()
        Outreach.objects.filter(request=request).update(name=None)
        _purge_history(request)
        return True


def _purge_history(request: SupportRequest) -> None:
    """Then the history, which still holds the old ciphertext, and its contexts (who
    acted, and on which URL), the purge's own event included."""
    events = SupportRequest.pgh_event_model.objects.filter(pgh_obj_id=request.pk)
    note_events = SupportNote.pgh_event_model.objects.filter(request_id=request.pk)
    message_events = RequesterMessage.pgh_event_model.objects.filter(request_id=request.pk)
    contexts = {
        *events.values_list("pgh_context_id", flat=True),
        *note_events.values_list("pgh_context_id", flat=True),
        *message_events.values_list("pgh_context_id", flat=True),
    } - {None}
    events.delete()
    note_events.delete()
    message_events.delete()
    pghistory.models.Context.objects.filter(pk__in=contexts).delete()
