"""Who may see a request's content: the requester, the assigned supporter and the
program's support leads. Nobody else: not coordinators, not superusers. Every read,
allowed or denied, is written to the access log."""

from django.http import Http404, HttpRequest

from peers.models import Role
from peers.selectors import program_ids_with_role
from peers.services.audit import access_log_write
from support_requests.models import SupportRequest


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


def request_by_token_or_404(http_request: HttpRequest, token: str) -> SupportRequest:
    request = SupportRequest.objects.select_related("program__institution").filter(status_token=token).first()
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
