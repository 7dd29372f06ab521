"""The first-response clock: leads are told at the deadline, everyone at twice the target."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from support_requests import notify
from support_requests.models import SupportRequest

TELL = {"leads": notify.batch_support_due, "overdue": notify.batch_support_overdue}
# Requests claimed and escalated per transaction: a batch holds their row locks while it
# renders their notices, so a supporter recording a first contact on one waits that long.
BATCH = 60


def first_contact_escalate() -> int:
    """Sweep, two steps, each once: at the deadline the support leads are told; at
    twice the target every lead and the program's coordinators are told it is overdue."""
    now = timezone.now()
    done = 0
    for stamp, condition, step in (
        ("leads_alerted_at", Q(first_contact_due_at__lte=now), "leads"),
        ("overdue_alerted_at", Q(leads_alerted_at__isnull=False, overdue_at__lte=now), "overdue"),
    ):
        while True:
            claimed = _escalate_batch(stamp, condition, step, now)
            done += claimed
            if claimed < BATCH:  # nothing more due, or the rest held by another sweep
                break
    return done


def _escalate_batch(stamp: str, condition: Q, step: str, now: datetime.datetime) -> int:
    """1. Claim the most pressing requests not yet escalated at this step, up to a
       batch: lock them, skipping any another sweep holds.
    2. Tell the people for the step, the batch's notices together (a fixed number of
       queries however many requests and people).
    3. Stamp the step in the same transaction, so the claim lasts until it is done.
    Returns how many were claimed."""
    with transaction.atomic():
        requests = list(
            SupportRequest.objects.select_for_update(skip_locked=True, of=("self",))
            # Prefetched, not joined: the claim reads the request table alone, so the planner
            # always takes the partial index (a join let it pick a scan of the whole table).
            .prefetch_related("program__institution")
            # overdue_alerted_at is unset before the last step too (the steps run in order);
            # it lets the partial index hold only requests that can still escalate.
            .filter(
                condition,
                Q(overdue_alerted_at__isnull=True),
                paused_at__isnull=True,  # waiting on the requester: its clock stands still
                first_contact_at__isnull=True,
                closed_at__isnull=True,
                **{f"{stamp}__isnull": True},
            )
            .order_by("first_contact_due_at")[:BATCH]
        )
        if not requests:
            return 0
        _escalate(requests, step)
        SupportRequest.objects.filter(pk__in=[request.pk for request in requests]).update(**{stamp: now})
        return len(requests)


def _escalate(requests: list[SupportRequest], step: str) -> None:
    TELL[step](requests)
