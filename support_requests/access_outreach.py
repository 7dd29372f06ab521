"""Access to outreach, in the idiom of support_requests.access (which it builds on).

- The person's name and contact are part of the request: they are shown only on the
  request's own page, after `access.request_access_or_404` allowed a full read (the leads
  and the supporter who accepted it; an offered supporter gets the offer view, which never
  loads this row). The read is logged there.
- The referrer reads only their own asks, and of each only when it was made and whether
  outreach happened (`asks_of`): never the name, the contact or the outcome.
- The person reached finds their outreach by the no-thanks link's hash, rate limited and
  logged like the status page (`outreach_by_decline_token_or_404`)."""

from django.http import Http404, HttpRequest

from peers.services.audit import access_log_write, client_address
from support_requests import access
from support_requests.access import STATUS_READS_PER_HOUR, UNKNOWN_TOKENS_PER_HOUR, TooManyAttempts
from support_requests.intake_guard import private_key
from support_requests.models import Outreach, SupportRequest, status_token_hash


def outreach_of(request: SupportRequest) -> Outreach | None:
    """The outreach of a request already read in full (access.request_*_or_404)."""
    return Outreach.objects.filter(request=request).first()


def asks_of(user) -> list[dict]:
    """What a referrer may know of their own asks: when, and whether someone reached out."""
    return list(
        Outreach.objects.filter(referred_by=user, origin=Outreach.Origin.REFERRAL)
        .order_by("-created_at")
        .values("created_at", "referrer_told_at")[:50]
    )


def outreach_by_decline_token_or_404(http_request: HttpRequest, token: str) -> Outreach:
    """1. Count the visit against the address; over the limit, refuse (429) unlogged.
    2. Find the outreach by the hash of the token; an unknown token counts again, tighter.
    3. Log the visit (never the token, never who) and answer 404 for no outreach."""
    address = client_address(http_request)
    if access._over_limit(private_key("support-no-thanks", address), STATUS_READS_PER_HOUR, http_request):
        raise TooManyAttempts
    outreach = (
        Outreach.objects.select_related("request__program", "request__assigned_to")
        .defer("name")
        .filter(decline_token_hash=status_token_hash(token))
        .first()
    )
    if outreach is None and access._over_limit(
        private_key("support-no-thanks-unknown", address), UNKNOWN_TOKENS_PER_HOUR, http_request
    ):
        raise TooManyAttempts
    access_log_write(
        request=http_request,
        action="outreach_decline",
        object_type=access.OBJECT_TYPE,
        object_id=str(outreach.request_id) if outreach else "unknown-token",
        allowed=outreach is not None,
        detail="the person reached out to, by their no-thanks link",
        anonymous=True,
    )
    if outreach is None:
        raise Http404("No such outreach")
    return outreach
