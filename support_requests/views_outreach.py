"""Outreach's pages: a colleague asks that someone be contacted; a lead reaches out to
several people after an event; the supporter sends the message and records how it went;
the person says no thanks from the link. Never cached; reads go through access."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from peers.models import Role, TrainingProgram
from peers.selectors import program_ids_with_role
from support_requests import access, access_outreach
from support_requests.forms_outreach import NO_DETAILS, OpenManyForm, OutcomeForm, ReferralForm
from support_requests.resources import resources_context
from support_requests.services import outreach as services
from support_requests.views import action_view


@never_cache
@login_required
def refer(request: HttpRequest) -> HttpResponse:
    programs = TrainingProgram.objects.filter(support_settings__accepts_requests=True).order_by("name")
    form = ReferralForm(request.POST or None, programs=programs)
    if form.is_valid():
        try:
            services.outreach_create(asked_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                "Thank you. A trained peer supporter will reach out to them soon. We'll let you know when "
                "they have, and nothing more: what they talk about stays between them.",
            )
            return redirect("support:refer")
    context = {"form": form, "no_details": NO_DETAILS, "asks": access_outreach.asks_of(request.user)}
    return render(request, "support_requests/refer.html", context)


@never_cache
@login_required
def open_many(request: HttpRequest) -> HttpResponse:
    """A lead reaches out to several people after one event (each their own outreach)."""
    programs = TrainingProgram.objects.filter(pk__in=program_ids_with_role(request.user, Role.SUPPORT_LEAD))
    if not programs.exists():
        raise Http404("Only support leads open outreach")
    form = OpenManyForm(request.POST or None, programs=programs.order_by("name"))
    if form.is_valid():
        data = form.cleaned_data
        try:
            opened = services.outreach_open_many(
                program=data["program"], lead=request.user, people=data["people"], after_event=data["after_event"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Outreach opened for {len(opened)}: each is in the queue, to offer a supporter.")
            return redirect("support:queue")
    return render(request, "support_requests/outreach_new.html", {"form": form, "no_details": NO_DETAILS})


def _outreach_or_404(request: HttpRequest, pk: int):
    support_request = access.request_to_work_or_404(request, pk)  # logged; 404 for anyone else
    outreach = access_outreach.outreach_of(support_request)
    if outreach is None:
        raise Http404("Not an outreach")
    return outreach


def _then(request: HttpRequest, pk: int, work) -> HttpResponse:
    try:
        messages.success(request, work())
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("support:detail", pk=pk)


@action_view
def send_message(request: HttpRequest, pk: int) -> HttpResponse:
    outreach = _outreach_or_404(request, pk)

    def work() -> str:
        link = lambda token: request.build_absolute_uri(reverse("support:no_thanks", args=[token]))  # noqa: E731
        services.outreach_message_send(outreach=outreach, sender=request.user, decline_url=link)
        return "Your message has gone out. When they answer, record how it went."

    return _then(request, pk, work)


@action_view
def record_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    outreach = _outreach_or_404(request, pk)
    form = OutcomeForm(request.POST)

    def work() -> str:
        if not form.is_valid():
            raise ValidationError("Choose how the outreach went.")
        services.outreach_outcome_record(outreach=outreach, outcome=form.cleaned_data["outcome"])
        return "Recorded, and the outreach is closed. Thank you for reaching out."

    return _then(request, pk, work)


@csrf_exempt  # the link's token is the secret; mail apps POST to it (RFC 8058) without a form
@never_cache
def no_thanks(request: HttpRequest, token: str) -> HttpResponse:
    """The no-thanks link in the outreach email. Opening it shows one button and changes
    nothing, because mail scanners (Safe Links and the like) open every link in a message;
    pressing the button (a POST) declines, and so does a mail app's one-click "unsubscribe"
    (the email's List-Unsubscribe-Post header). A second press changes nothing."""
    try:
        outreach = access_outreach.outreach_by_decline_token_or_404(request, token)
    except access.TooManyAttempts:
        return render(request, "support_requests/no_thanks_limited.html", resources_context(request), status=429)
    if request.method == "POST":
        services.outreach_decline(outreach=outreach)
    context = {
        **resources_context(request, institution=outreach.request.program.institution),
        "outreach": outreach,
        "declined": request.method == "POST" or outreach.declined_at is not None,
    }
    return render(request, "support_requests/no_thanks.html", context)
