"""A request comes in: screening first, then the first-contact clock, then (where the
program assigns automatically) an offer to the best match."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from peers.models import TrainingProgram, User
from support_requests import hours, notify, selectors
from support_requests.models import PauseReason, SupportRequest, new_status_token, status_token_hash
from support_requests.services.clock import request_resume
from support_requests.services.offers import request_offer


def request_create(
    *,
    program: TrainingProgram,
    requester: User | None,
    screening: dict[str, bool],
    **content: str | dict[str, str | bool],
) -> SupportRequest:
    """Record a request. Screening comes first: any "yes" sends it to the support leads
    as needing referral, with no peer matching. Nothing is dropped.

    1. Save the request (content encrypted) with its first-contact deadline and the hash
       of a new private status token; the token itself is returned on the instance
       (`status_token`) for the confirmation page, and kept nowhere.
    2. Tell the support leads (reference code only); without a lead, the coordinators and
       the institution's office (support_requests.receivers), so someone is always told.
    3. If it may be matched and the program assigns automatically, offer it to the best match.
    """
    if not program.support_settings.accepts_requests:
        raise ValidationError("This program does not take support requests: please choose another.")
    screened_out = any(screening.values())
    with transaction.atomic():
        request = _new_request(program, requester, screening, content)
        token = new_status_token()
        request.status_token_hash = status_token_hash(token)
        request.full_clean()
        request.save()
        request.status_token = token  # shown to the requester once; never stored
        notify.support_new(request)
        if not screened_out and program.support_settings.auto_assign:
            suggestions = selectors.supporter_suggestions(request)
            if suggestions:
                request_offer(request=request, supporter=suggestions[0].profile.user)
    return request


def _new_request(program: TrainingProgram, requester: User | None, screening: dict, content: dict) -> SupportRequest:
    screened_out = any(screening.values())
    now = timezone.now()
    urgent = hours.counts_around_the_clock(urgency=content.get("urgency", ""), screened_out=screened_out)
    targets = program.support_settings
    target = datetime.timedelta(hours=targets.urgent_response_hours if urgent else targets.first_response_hours)
    clock = hours.ALWAYS if urgent else hours.program_clock(program)
    # Nobody can be reached without a contact: the clock waits for one (services.clock).
    unreachable = not (content.get("contact_details") or "").strip()
    return SupportRequest(
        program=program,
        requester=requester if requester and requester.is_authenticated else None,
        screening=",".join(key for key, yes in screening.items() if yes) or None,
        created_at=now,
        first_contact_due_at=hours.clock_add(clock, now, target),
        overdue_at=hours.clock_add(clock, now, 2 * target),
        paused_at=now if unreachable else None,
        pause_reason=PauseReason.UNREACHABLE if unreachable else "",
        status=SupportRequest.Status.NEEDS_REFERRAL if screened_out else SupportRequest.Status.NEW,
        **content,
    )


def request_add_contact(*, request: SupportRequest, contact_method: str, contact_details: str) -> None:
    """The requester says (or changes) how to reach them, from their status page."""
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().get(pk=request.pk)
        request.contact_method, request.contact_details = contact_method, contact_details.strip()
        request.full_clean()
        request.save(update_fields=["contact_method", "contact_details"])
        if request.contact_details:
            request_resume(request=request, only_if=PauseReason.UNREACHABLE)
