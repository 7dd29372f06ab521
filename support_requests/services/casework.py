"""The work on a request once someone holds it: first contact, notes, referrals, closing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from peers.models import User
from support_requests import notify
from support_requests.models import Outcome, Referral, SupportNote, SupportRequest

NOTE_MAX_LENGTH = 1000


def request_record_contact(*, request: SupportRequest) -> None:
    """First contact: by the supporter after accepting, or by a lead (a screened-out
    request has no supporter; the lead who reaches the person stops its clock)."""
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if request.status not in SupportRequest.AWAITING_CONTACT:
            raise ValidationError("Accept the request before recording contact.")
        request.status, request.first_contact_at = SupportRequest.Status.CONTACTED, timezone.now()
        request.save(update_fields=["status", "first_contact_at"])


def note_add(*, request: SupportRequest, author: User, text: str) -> SupportNote:
    _check_open(request)
    if not request.program.support_settings.notes_allowed:
        raise ValidationError("This program keeps no notes on support requests.")
    text = text.strip()
    if not text:
        raise ValidationError("Write the note first.")
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError("Keep notes short: 1,000 characters at most.")
    return SupportNote.objects.create(request=request, author=author, text=text)


def referral_add(*, request: SupportRequest, resource: str) -> Referral:
    _check_open(request)
    referral = Referral(request=request, resource=resource)
    referral.full_clean()
    referral.save()
    return referral


def request_close(*, request: SupportRequest, outcome: str) -> None:
    """Close once (closing again changes nothing); the leads hear of a request closed
    before anyone recorded a first contact."""
    if outcome not in Outcome.values:
        raise ValidationError("Choose how the request ended.")
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if request.status == SupportRequest.Status.CLOSED:
            return
        request.status, request.outcome, request.closed_at = SupportRequest.Status.CLOSED, outcome, timezone.now()
        request.save(update_fields=["status", "outcome", "closed_at"])
        if request.first_contact_at is None:
            notify.support_closed_uncontacted(request)


def _check_open(request: SupportRequest) -> None:
    if request.status == SupportRequest.Status.CLOSED:
        raise ValidationError("This request is closed.")
