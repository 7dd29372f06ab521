"""Who may see a request's content: the requester, the assigned supporter and the
program's support leads. Nobody else: not coordinators, not superusers. Every read,
allowed or denied, is written to the access log."""

from django.core.cache import cache
from django.http import Http404, HttpRequest

from peers.models import Role
from peers.selectors import program_ids_with_role
from peers.services.audit import access_log_write, client_address
from support_requests.models import SupportRequest, status_token_hash


def is_lead_for(user, request: SupportRequest) -> bool:
    return request.program_id in program_ids_with_role(user, Role.SUPPORT_LEAD)


def can_read(user, request: SupportRequest) -> bool:
    if not user.is_authenticated:
        return False
    return user.pk in (request.requester_id, request.assigned_to_id) or is_lead_for(user, request)


def request_read_or_404(http_request: HttpRequest, pk: int, *, action: str = "view") -> SupportRequest:
    """The request if the signed-in person may read it; otherwise 404. Logged either way."""
    request = (
        SupportRequest.objects.select_related("program__institution", "assigned_to", "requester").filter(pk=pk).first()
    )
    allowed = request is not None and can_read(http_request.user, request)
    own = allowed and request.requester_id == http_request.user.pk
    access_log_write(
        request=http_request,
        action=action,
        object_type="support_requests.supportrequest",
        object_id=str(pk),
        allowed=allowed,
        anonymous=own,  # never a log of who asked for help
        detail="the requester" if own else "",
    )
    if not allowed:
        raise Http404("No such request")
    return request


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
    if _over_limit(f"support-status:{address}", STATUS_READS_PER_HOUR, http_request):
        raise TooManyAttempts
    request = (
        SupportRequest.objects.select_related("program__institution")
        .filter(status_token_hash=status_token_hash(token))
        .first()
    )
    if request is None and _over_limit(f"support-status-unknown:{address}", UNKNOWN_TOKENS_PER_HOUR, http_request):
        raise TooManyAttempts
    access_log_write(
        request=http_request,
        action="status_view",
        object_type="support_requests.supportrequest",
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
            object_type="support_requests.supportrequest",
            object_id="",
            allowed=False,
            detail="too many status-page reads from one address",
            anonymous=True,
        )
    return count > limit
