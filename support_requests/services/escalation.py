"""The first-response clock: leads are told at the deadline, everyone at twice the target."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from support_requests import notify
from support_requests.models import SupportRequest

TELL = {"leads": notify.support_due, "overdue": notify.support_overdue}


def first_contact_escalate() -> int:
    """Sweep, two steps, each once: at the deadline the support leads are told; at
    twice the target every lead and the program's coordinators are told it is overdue."""
    now = timezone.now()
    done = 0
    for stamp, condition, step in (
        ("leads_alerted_at", Q(first_contact_due_at__lte=now), "leads"),
        ("overdue_alerted_at", Q(leads_alerted_at__isnull=False, overdue_at__lte=now), "overdue"),
    ):
        while _escalate_next(stamp, condition, step, now):
            done += 1
    return done


def _escalate_next(stamp: str, condition: Q, step: str, now: datetime.datetime) -> bool:
    """1. Claim the most pressing request not yet escalated at this step: lock it,
       skipping any another sweep holds.
    2. Tell the people for the step.
    3. Stamp the step in the same transaction, so the claim lasts until it is done.
    Returns whether there was one."""
    with transaction.atomic():
        request = (
            SupportRequest.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("program")
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
            .order_by("first_contact_due_at")
            .first()
        )
        if request is None:
            return False
        _escalate(request, step)
        SupportRequest.objects.filter(pk=request.pk).update(**{stamp: now})
        return True


def _escalate(request: SupportRequest, step: str) -> None:
    TELL[step](request)
