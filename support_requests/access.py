"""Who may see what of a request, at two levels, in this one module.

- A full read (`FULL`): the requester, the supporter who accepted it and the program's
  support leads. Nobody else: not coordinators, not superusers.
- An offer view (`OFFER`): a supporter with a pending offer sees only what they need
  to decide (`OfferView`): reference, reason category, urgency, the times, and whether
  they meet each preference that concerns a supporter. Never the description, contact
  details, screening answers, department or notes; those columns are not even loaded.
  Once they accept, the full read; after a decline or a lapsed offer, nothing (404).

Every read, allowed or denied, at either level, is written to the access log. An action
on a request (accept, decline, first contact, a note, a referral, closing, offering it to a
supporter) goes through one of the `request_to_*_or_404` functions: the read is logged as
"act", then who may do that action is checked, and anyone else gets the same 404."""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.http import Http404, HttpRequest

from peers.models import Role
from peers.selectors import program_ids_with_role
from peers.services.audit import access_log_write, client_address
from support_requests.intake_guard import private_key
from support_requests.models import SupporterProfile, SupportRequest, status_token_hash
from support_requests.preferences import preference_matches

FULL, OFFER = "full", "offer"
# Not loaded until a full read is allowed. (Preferences are: the offer view tells the
# supporter whether they meet them, never what they were.)
CONFIDENTIAL = ("description", "contact_details", "screening", "requester_department", "department_picked")
OBJECT_TYPE = "support_requests.supportrequest"


def is_lead_for(user, request: SupportRequest) -> bool:
    return request.program_id in program_ids_with_role(user, Role.SUPPORT_LEAD)


def read_level(user, request: SupportRequest) -> str | None:
    """FULL, OFFER or None (no read at all)."""
    if not user.is_authenticated:
        return None
    if user.pk == request.requester_id or is_lead_for(user, request):
        return FULL
    if user.pk == request.assigned_to_id:
        if request.accepted_at is not None:
            return FULL
        if request.status == SupportRequest.Status.OFFERED:
            return OFFER
    return None


def can_read(user, request: SupportRequest) -> bool:
    return read_level(user, request) == FULL


def _fetch_and_log(http_request: HttpRequest, pk: int, *, action: str, offer_ok: bool) -> tuple[SupportRequest, str]:
    """1. Load the request without its confidential columns.
    2. Decide the level; an offer view counts only where the caller accepts one.
    3. Log the read (an offer view as "offer_<action>"), allowed or not; 404 if not.
    4. For a full read, load the confidential columns."""
    request = (
        SupportRequest.objects.select_related("program__institution", "assigned_to", "requester")
        .defer(*CONFIDENTIAL)
        .filter(pk=pk)
        .first()
    )
    level = read_level(http_request.user, request) if request is not None else None
    if level == OFFER and not offer_ok:
        level = None
    own = level == FULL and request.requester_id == http_request.user.pk
    access_log_write(
        request=http_request,
        action=f"offer_{action}" if level == OFFER else action,
        object_type=OBJECT_TYPE,
        object_id=str(pk),
        allowed=level is not None,
        anonymous=own,  # never a log of who asked for help
        detail="the requester" if own else "the offered supporter" if level == OFFER else "",
    )
    if level is None:
        raise Http404("No such request")
    if level == FULL:
        request.refresh_from_db(fields=CONFIDENTIAL)
    return request, level


def request_read_or_404(http_request: HttpRequest, pk: int, *, action: str = "view") -> SupportRequest:
    """The request if the signed-in person may read all of it; otherwise 404 (a supporter
    who is only offered it included). Logged either way."""
    return _fetch_and_log(http_request, pk, action=action, offer_ok=False)[0]


def request_access_or_404(http_request: HttpRequest, pk: int, *, action: str = "view") -> tuple[SupportRequest, str]:
    """The request and the level (FULL or OFFER) the signed-in person may see it at;
    otherwise 404. Logged either way. At the OFFER level, show only `offer_view()`."""
    return _fetch_and_log(http_request, pk, action=action, offer_ok=True)


def request_of_requester_or_404(http_request: HttpRequest, pk: int) -> SupportRequest:
    """A signed-in requester's own request ("My requests"), for its status page; anyone
    else, leads included, gets 404 here (they have the request's page), logged as denied.
    The requester's read is logged without name or address, like every read by the requester."""
    request = SupportRequest.objects.select_related("program__institution").filter(pk=pk).first()
    own = request is not None and http_request.user.is_authenticated and request.requester_id == http_request.user.pk
    access_log_write(
        request=http_request,
        action="status_view",
        object_type=OBJECT_TYPE,
        object_id=str(pk),
        allowed=own,
        anonymous=own,
        detail="the requester, signed in" if own else "",
    )
    _require(own)
    return request


def is_working_supporter(user, request: SupportRequest) -> bool:
    """The supporter who accepted the request, while it is worked on. Someone merely
    offered a request may only accept or decline it."""
    return request.assigned_to_id == user.pk and request.status in SupportRequest.WORKING


def request_to_answer_or_404(http_request: HttpRequest, pk: int) -> SupportRequest:
    """Accepting or declining an offer: the request if it is offered (or was given) to the
    signed-in supporter; otherwise 404. Logged as "act" (from the offer view, "offer_act")."""
    request, _ = request_access_or_404(http_request, pk, action="act")
    _require(request.assigned_to_id == http_request.user.pk)
    return request


def request_to_work_or_404(http_request: HttpRequest, pk: int) -> SupportRequest:
    """First contact, notes, referrals and closing: the supporter who accepted the request
    or a lead of its program; otherwise 404. Logged as "act"."""
    request = request_read_or_404(http_request, pk, action="act")
    user = http_request.user
    _require(is_working_supporter(user, request) or is_lead_for(user, request))
    return request


def request_to_assign_or_404(http_request: HttpRequest, pk: int) -> SupportRequest:
    """Offering the request to a supporter: a lead of its program; otherwise 404. Logged as "act"."""
    request = request_read_or_404(http_request, pk, action="act")
    _require(is_lead_for(http_request.user, request))
    return request


def _require(allowed: bool) -> None:
    # After the read is logged: a reader who may not do this still gets the same 404.
    if not allowed:
        raise Http404("Not yours to act on")


PREFERENCE_LABELS = {
    "specialty": "A supporter from a particular specialty",
    "career_stage": "A supporter at a particular career stage",
    "shared_identity": "A supporter who shares an identity (one you chose to share)",
    "language": "To talk in a particular language",
}


@dataclass(frozen=True)
class OfferView:
    """All an offered supporter may see. What was asked for stays unnamed: only whether
    the supporter meets it, which is what they need to decide."""

    pk: int
    reference: str
    reason: str
    urgency: str
    first_contact_due_at: datetime.datetime
    offer_expires_at: datetime.datetime | None
    preferences: tuple[tuple[str, bool], ...]  # (what was asked for, whether you meet it)


def offer_view(request: SupportRequest, supporter) -> OfferView:
    profile = SupporterProfile.objects.filter(user=supporter).first()
    matches = preference_matches(request.preferences or {}, profile) if profile else {}
    return OfferView(
        pk=request.pk,
        reference=request.reference,
        reason=request.get_reason_display(),
        urgency=request.get_urgency_display(),
        first_contact_due_at=request.first_contact_due_at,
        offer_expires_at=request.offer_expires_at,
        preferences=tuple((PREFERENCE_LABELS[key], met) for key, met in matches.items()),
    )


class TooManyAttempts(Exception):
    """Too many status-page reads from one address: answered 429, and not logged row by row."""


STATUS_READS_PER_HOUR = 60  # a requester reloading their page, many times over
UNKNOWN_TOKENS_PER_HOUR = 10  # mistyped links; beyond this, guessing


def request_by_token_or_404(http_request: HttpRequest, token: str) -> SupportRequest:
    """The request whose private status link this is, found by the link's hash.

    1. Count the read against the address; over the limit, refuse (429) without a log
       row, so that a flood of guesses cannot flood the access log (one row marks the
       moment the limit tripped).
    2. Look the request up by the hash of the token; an unknown token counts again, on
       a tighter limit.
    3. Log the read (never the token, never who it is) and answer 404 for no request.
    """
    address = client_address(http_request)
    if _over_limit(private_key("support-status", address), STATUS_READS_PER_HOUR, http_request):
        raise TooManyAttempts
    request = (
        SupportRequest.objects.select_related("program__institution")
        .filter(status_token_hash=status_token_hash(token))
        .first()
    )
    if request is None and _over_limit(
        private_key("support-status-unknown", address), UNKNOWN_TOKENS_PER_HOUR, http_request
    ):
        raise TooManyAttempts
    access_log_write(
        request=http_request,
        action="status_view",
        object_type=OBJECT_TYPE,
        object_id=str(request.pk) if request else "unknown-token",
        allowed=request is not None,
        detail="the requester, by status link",
        anonymous=True,
    )
    if request is None:
        raise Http404("No such request")
    return request


def _over_limit(key: str, limit: int, http_request: HttpRequest) -> bool:
    try:
        cache.add(key, 0, timeout=3600)
        count = cache.incr(key)
    except Exception:  # the cache is down: the requester's own page must still open
        return False
    if count == limit + 1:
        access_log_write(
            request=http_request,
            action="status_rate_limited",
            object_type=OBJECT_TYPE,
            object_id="",
            allowed=False,
            detail="too many status-page reads from one address",
            anonymous=True,
        )
    return count > limit
