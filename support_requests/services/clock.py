"""A request waiting on the requester: its first-contact clock stands still, and starts
again by itself (at the time they asked for, when a contact is added, or when they write).

The paused time does not count: on resuming, each deadline not yet passed when the clock
stopped is moved on by what was left of it, counted in the request's clock (support hours,
or around the clock for urgent and screened-out requests, support_requests.hours). A
paused request is never escalated (services.escalation skips it)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from support_requests import hours
from support_requests.models import PauseReason, SupportRequest

DEADLINES = ("first_contact_due_at", "overdue_at")


def request_pause(*, request: SupportRequest, reason: str, resume_at: datetime.datetime | None = None) -> None:
    """Stop the clock (the supporter working it, or a lead). "Later" needs the time the
    requester asked for; pausing a paused request changes its reason, not when it stopped."""
    if reason not in PauseReason.values:
        raise ValidationError("Choose why the request is waiting.")
    now = timezone.now()
    if reason == PauseReason.LATER and (resume_at is None or resume_at <= now):
        raise ValidationError("Give the time the requester asked to be contacted, later than now.")
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if request.status == SupportRequest.Status.CLOSED or request.first_contact_at is not None:
            raise ValidationError("Only a request waiting for its first contact has a clock to pause.")
        request.paused_at = request.paused_at or now
        request.pause_reason = reason
        request.resume_at = resume_at if reason == PauseReason.LATER else None
        request.save(update_fields=["paused_at", "pause_reason", "resume_at"])


def request_resume(*, request: SupportRequest, only_if: str | None = None) -> bool:
    """Start the clock again, the paused time not counted. `only_if` resumes only a
    request paused for that reason. Returns whether it was paused."""
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().select_related("program").get(pk=request.pk)
        if request.paused_at is None or (only_if and request.pause_reason != only_if):
            return False
        now = timezone.now()
        for name, value in resumed_deadlines(request, now).items():
            setattr(request, name, value)
        request.paused_at, request.pause_reason, request.resume_at = None, "", None
        request.save(update_fields=[*DEADLINES, "paused_at", "pause_reason", "resume_at"])
    return True


def resumed_deadlines(request: SupportRequest, now: datetime.datetime) -> dict[str, datetime.datetime]:
    """Each deadline still ahead when the clock stopped keeps the support time it had left."""
    clock = hours.request_clock(request)
    moved = {}
    for name in DEADLINES:
        deadline = getattr(request, name)
        if deadline > request.paused_at:
            moved[name] = hours.clock_add(clock, now, hours.clock_between(clock, request.paused_at, deadline))
    return moved


def pauses_resume() -> int:
    """Sweep: a request whose requester asked to be contacted at a time now come starts
    its clock again. Each is claimed (locked, skipping any another sweep holds)."""
    count = 0
    while True:
        with transaction.atomic():
            request = (
                SupportRequest.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(paused_at__isnull=False, resume_at__isnull=False, resume_at__lte=timezone.now())
                .order_by("resume_at")
                .first()
            )
            if request is None:
                return count
            request_resume(request=request)
            count += 1
