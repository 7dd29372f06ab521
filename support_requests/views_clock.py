"""Stop and start a request's first-contact clock from the request page (services.clock)."""

from django.http import HttpRequest, HttpResponse

from support_requests import access, services
from support_requests.forms_clock import PauseForm
from support_requests.views import _done, _valid, action_view


@action_view
def pause(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = access.request_to_work_or_404(request, pk)
    form = PauseForm(request.POST, zone=support_request.program.time_zone)

    def work() -> str:
        data = _valid(form, "Choose why the request is waiting on the requester.")
        services.request_pause(request=support_request, reason=data["reason"], resume_at=data["resume_at"])
        return "The clock is paused: this request is not escalated while it waits on the requester."

    return _done(request, pk, work)


@action_view
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = access.request_to_work_or_404(request, pk)

    def work() -> str:
        services.request_resume(request=support_request)
        return "The clock runs again, from what was left of it."

    return _done(request, pk, work)
