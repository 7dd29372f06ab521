"""A lost status link, asked for again with the reference code and the contact left.

The page (views_requester.recover) does the same for every post: it saves the typed pair,
encrypted, and says the same words. This sweep does the comparing, off the page's path, so
neither the page nor its timing tells a wrong reference or a wrong contact from a match.
A match gets a new private link, emailed at once to the address on the request by the
existing path (notify.status_link_email, no notification row); the old link stops
working. One new link per request an hour, however often the pair is posted."""

import hmac
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from peers.services.audit import access_log_write
from support_requests import intake_guard, notify
from support_requests.models import (
    REFERENCE_ALPHABET,
    ContactMethod,
    LinkRecovery,
    SupportRequest,
    new_status_token,
    status_token_hash,
)

logger = logging.getLogger(__name__)
NEW_LINK_SECONDS = 3600  # one new link per request an hour
OBJECT_TYPE = "support_requests.supportrequest"


def link_recovery_ask(*, reference: str, contact: str) -> LinkRecovery:
    """What the page does for every post, match or not: save the pair for the sweep."""
    return LinkRecovery.objects.create(reference=reference.strip()[:40], contact=contact.strip()[:200])


def link_recoveries_process() -> int:
    """Sweep: compare each saved pair once. Each row is claimed (locked, skipping any row
    another sweep holds) and emptied in the same transaction."""
    count = 0
    while True:
        with transaction.atomic():
            recovery = (
                LinkRecovery.objects.select_for_update(skip_locked=True)
                .filter(processed_at__isnull=True)
                .order_by("created_at")
                .first()
            )
            if recovery is None:
                return count
            _recover(recovery.reference or "", recovery.contact or "")
            recovery.reference = recovery.contact = None
            recovery.processed_at = timezone.now()
            recovery.save(update_fields=["reference", "contact", "processed_at"])
            count += 1


def _recover(reference: str, contact: str) -> None:
    request = _matching_request(reference, contact)
    access_log_write(
        request=None,
        action="status_link_recovery",
        object_type=OBJECT_TYPE,
        object_id=str(request.pk) if request else "no-match",
        allowed=request is not None,
        detail="a new status link asked for with the reference and contact",
        anonymous=True,
    )
    if request is None:
        return
    if not _first_this_hour(request):
        return
    token = new_status_token()
    try:
        with transaction.atomic():
            SupportRequest.objects.filter(pk=request.pk).update(status_token_hash=status_token_hash(token))
            link = settings.PEERS_SITE_URL + reverse("support:status", args=[token])
            # An email address gets an email; a phone number (for calls or texts) a text message.
            by_email = request.contact_method == ContactMethod.EMAIL
            send = notify.status_link_email if by_email else notify.status_link_text
            send(request, link)
    except Exception as error:  # the mail server or SMS provider: the old link still works, and they can ask again
        logger.warning("Support status link not recovered: %s", type(error).__name__)


def _matching_request(reference: str, contact: str) -> SupportRequest | None:
    code = normal_reference(reference)
    request = (
        SupportRequest.objects.select_related("program__institution").filter(reference=code).first() if code else None
    )
    if request is None or not request.contact_details:
        return None
    given, kept = normal_contact(contact), normal_contact(request.contact_details)
    return request if given and hmac.compare_digest(given.encode(), kept.encode()) else None


def normal_reference(text: str) -> str:
    """ "ps-abc234", "PS ABC234" and "abc234" are all PS-ABC234."""
    code = re.sub(r"[^A-Za-z0-9]", "", text).upper().removeprefix("PS")
    return f"PS-{code}" if len(code) == 6 and all(c in REFERENCE_ALPHABET for c in code) else ""


def normal_contact(text: str) -> str:
    """An email address in lower case; a phone number as its digits (so "+1 (555) 013-3" is "15550133")."""
    text = (text or "").strip()
    if "@" in text:
        return text.casefold()
    digits = re.sub(r"\D", "", text)
    return digits.removeprefix("1") if len(digits) == 11 else digits


def _first_this_hour(request: SupportRequest) -> bool:
    try:
        return cache.add(intake_guard.private_key("support-link-recovered", request.pk), 1, timeout=NEW_LINK_SECONDS)
    except intake_guard.CACHE_DOWN:
        return True  # without the cache, a match still gets its link
