"""What a requester does from their status page: add a message, withdraw, give feedback."""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from support_requests import notify
from support_requests.models import (
    FEEDBACK_COMMENT_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    Outcome,
    RequesterMessage,
    SupportFeedback,
    SupportRequest,
)
from support_requests.services.clock import request_resume


def message_add(*, request: SupportRequest, text: str) -> RequesterMessage:
    """The requester adds to their request. The supporter who accepted it (or, before that,
    the leads) is told that there is a message, never what it says."""
    text = text.strip()
    if not text:
        raise ValidationError("Write your message first.")
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError("Keep your message to 2,000 characters.")
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if request.status == SupportRequest.Status.CLOSED:
            raise ValidationError("This request is closed, so nobody would read a message on it.")
        message = RequesterMessage.objects.create(request=request, text=text)
        notify.support_message(request, message)
        request_resume(request=request)  # they wrote: whatever they were waiting for, the clock runs
    return message


def request_withdraw(*, request: SupportRequest) -> bool:
    """The requester withdraws: the request closes as withdrawn, an open offer ends with it,
    and the supporter (offered or working) and the leads are told. Withdrawing a closed
    request changes nothing. Returns whether this call withdrew it."""
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if request.status == SupportRequest.Status.CLOSED:
            return False
        supporter = request.assigned_to
        request.status, request.outcome = SupportRequest.Status.CLOSED, Outcome.WITHDRAWN
        request.closed_at, request.offer_expires_at = timezone.now(), None
        request.save(update_fields=["status", "outcome", "closed_at", "offer_expires_at"])
        notify.support_withdrawn(request, supporter)
    return True


def feedback_give(*, request: SupportRequest, helpful: int, comment: str) -> SupportFeedback:
    """Once per closed request. The feedback row has no link to the request: the request
    is only marked as having given it (a claim, so two posts make one row)."""
    comment = comment.strip()
    if len(comment) > FEEDBACK_COMMENT_MAX_LENGTH:
        raise ValidationError("Keep your comment to 500 characters.")
    with transaction.atomic():
        claimed = SupportRequest.objects.filter(
            pk=request.pk, status=SupportRequest.Status.CLOSED, feedback_given=False
        ).update(feedback_given=True)
        if not claimed:
            raise ValidationError("Thank you: feedback on this request has already been given, or it is still open.")
        feedback = SupportFeedback(program=request.program, month=_month(request), helpful=helpful, comment=comment)
        feedback.full_clean()
        feedback.save()
    return feedback


def _month(request: SupportRequest) -> datetime.date:
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(request.program.time_zone)).date()
    return today.replace(day=1)
