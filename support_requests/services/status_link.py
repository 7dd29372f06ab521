"""The requester's private status link, emailed to the address they gave, once.

The link is never stored (the database keeps its hash): the confirmation page posts it
back, the view finds the request by its hash, and this sends it at once, with no
notification row, since a row would keep the link in its body."""

import logging

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from support_requests import intake_guard, notify
from support_requests.models import ContactMethod, SupportRequest

logger = logging.getLogger(__name__)


def status_link_send(*, request: SupportRequest, status_url: str, sender: str) -> None:
    """1. Refuse without an email address, or past the hourly limit for this address.
    2. Claim the request's one send; a second one is refused.
    3. Send now; if sending fails, give the claim back so they can try again."""
    if request.contact_method != ContactMethod.EMAIL or not _is_email(request.contact_details):
        raise ValidationError("We have no email address for this request. Please copy the link instead.")
    if intake_guard.link_sends_exceeded(sender):
        raise ValidationError("We've sent several links from this connection in the last hour. Please copy the link.")
    if not intake_guard.link_send_claim(request.pk):
        raise ValidationError(
            "We've already emailed you this link. This page's address is the link too: you can bookmark it."
        )
    try:
        notify.status_link_email(request, status_url)
    except Exception as error:  # any mail failure: the link is still on the page
        intake_guard.link_send_release(request.pk)
        logger.warning("Support status link not sent: %s", type(error).__name__)
        raise ValidationError("We couldn't send the email just now. Please copy the link instead.") from error


def _is_email(value: str | None) -> bool:
    try:
        validate_email(value or "")
    except ValidationError:
        return False
    return True
