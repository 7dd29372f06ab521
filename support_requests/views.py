"""Confidential pages: every one sends Cache-Control: no-store (never_cache), every read
of a request is logged, and a request someone may not see answers 404."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from peers.addresses import client_address
from peers.models import TrainingProgram, User
from peers.numbers import whole_number
from peers.unavailable import DATABASE_UNAVAILABLE
from support_requests import access, feedback, intake_guard, reports, selectors, services
from support_requests.forms import (
    AssignForm,
    AwayPeriodForm,
    CloseForm,
    ContactForm,
    NoteForm,
    ReferralForm,
    RequestForm,
    ScreeningForm,
    SupporterProfileForm,
)
from support_requests.forms_clock import PauseForm
from support_requests.models import Outcome, SupporterProfile, SupportRequest
from support_requests.resources import chosen_language, resources_context

logger = logging.getLogger(__name__)


def _intake_context(request: HttpRequest, support_request: SupportRequest | None = None, **extra) -> dict:
    program = support_request.program if support_request else extra.get("program")
    institution = program.institution if program else None
    resources = resources_context(request, institution=institution, support_request=support_request)
    return {**resources, "support_request": support_request, **extra}


@never_cache
def intake(request: HttpRequest) -> HttpResponse:
    programs = (
        TrainingProgram.objects.filter(support_settings__accepts_requests=True)
        .select_related("institution")
        .order_by("institution__name", "name")
    )
    screening = ScreeningForm(request.POST or None, programs=programs)
    if request.method != "POST":
        return render(request, "support_requests/intake.html", _intake_context(request, screening=screening))
    if not screening.is_valid():
        return render(request, "support_requests/intake.html", _intake_context(request, screening=screening))
    program = screening.cleaned_data["program"]
    departments = program.institution.support_departments.all()
    details = RequestForm(request.POST, departments=departments) if request.POST.get("step") == "details" else None
    answers = screening.answers()
    if details is None and not any(answers.values()):
        form = RequestForm(departments=departments)
        context = _intake_context(request, screening=screening, program=program, form=form)
        return render(request, "support_requests/details.html", context)
    if details is not None and not details.is_valid():
        context = _intake_context(request, screening=screening, program=program, form=details)
        return render(request, "support_requests/details.html", context)
    if request.POST.get("website"):
        return render(request, "support_requests/received.html", _intake_context(request))  # a bot: keep nothing
    claim = intake_guard.claim(request, screening.cleaned_data.get("submission", ""))
    if claim.duplicate:
        return _already_received(request, claim)
    # A "yes" at screening is always recorded and answered with the crisis resources:
    # only a request with its follow-up details counts against the limit.
    if not any(answers.values()) and intake_guard.rate_limited(request):
        claim.release()
        return _limited(request, screening, details, program)
    content = details.content() if details is not None else {}
    content["resources_language"] = chosen_language(request, program.institution)
    try:
        support_request = services.request_create(program=program, requester=request.user, screening=answers, **content)
    except DATABASE_UNAVAILABLE:  # a full disk, a restart: nothing was saved; keep the words and the resources
        claim.release()
        logger.exception("Support intake: the request could not be saved")
        return _not_saved(request, screening, details, program)
    except BaseException:
        claim.release()
        raise
    claim.done(reverse("support:status", args=[support_request.status_token]))
    screened_out = support_request.status == SupportRequest.Status.NEEDS_REFERRAL
    template = "support_requests/referred.html" if screened_out else "support_requests/received.html"
    return render(
        request,
        template,
        _intake_context(request, support_request, program=support_request.program, contact_form=ContactForm()),
    )


def _not_saved(request: HttpRequest, screening: ScreeningForm, details: RequestForm | None, program) -> HttpResponse:
    messages.error(request, "We could not save this just now; nothing was lost. Please try again in a few minutes.")
    context = _intake_context(request, screening=screening, form=details, program=program, not_saved=True)
    template = "support_requests/details.html" if details is not None else "support_requests/intake.html"
    return render(request, template, context, status=503)


def _limited(request: HttpRequest, screening: ScreeningForm, details: RequestForm | None, program) -> HttpResponse:
    messages.error(
        request,
        "We've had several requests from this connection or account in the last hour. If you "
        "need help now, use the crisis resources on this page, or try again later.",
    )
    template = "support_requests/details.html" if details is not None else "support_requests/intake.html"
    context = _intake_context(request, screening=screening, form=details, program=program, limited=True)
    return render(request, template, context)


def _already_received(request: HttpRequest, claim: intake_guard.Claim) -> HttpResponse:
    """The same form, sent again (a double tap, a reload): show the first request."""
    status_url = claim.first_status_url()
    if status_url:
        messages.info(request, "We already have this request; here is its status page. Keep the link private.")
        return redirect(status_url)
    return render(request, "support_requests/received.html", _intake_context(request))


@never_cache
@require_POST
def send_link(request: HttpRequest) -> HttpResponse:
    """Email the status link to the address the requester gave, once. The link comes back
    from the confirmation page in a hidden field and is found by its hash, like any visit
    to the status page: it is never stored, only sent."""
    token = request.POST.get("token", "")
    try:
        support_request = access.request_by_token_or_404(request, token)
    except access.TooManyAttempts:
        return render(request, "support_requests/status_limited.html", _intake_context(request), status=429)
    status_url = request.build_absolute_uri(reverse("support:status", args=[token]))
    try:
        services.status_link_send(request=support_request, status_url=status_url, sender=client_address(request))
        messages.success(request, "We've emailed you the link to this page. Keep the email private.")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("support:status", token=token)


@never_cache
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not selectors.sees_queue(request.user):
        raise Http404("Only peer supporters and support leads have a queue")
    page = _page_number(request.GET.get("page"))
    start = (page - 1) * QUEUE_PAGE
    rows = list(selectors.queue_for(request.user)[start : start + QUEUE_PAGE + 1])  # one more: is there a next page?
    context = {"requests": rows[:QUEUE_PAGE], "page": page, "has_next": len(rows) > QUEUE_PAGE}
    return render(request, "support_requests/queue.html", context)


QUEUE_PAGE = 50  # requests a page, soonest due first; no COUNT over the requests


def _page_number(text: str | None) -> int:
    """The page asked for; anything but a sensible number is the first page."""
    number = whole_number(text)
    return number if number is not None and 1 <= number <= 10_000 else 1


@never_cache
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    support_request, level = access.request_access_or_404(request, pk)
    if level == access.OFFER:
        # Only what the supporter needs to decide: never the request itself.
        offer = access.offer_view(support_request, request.user)
        return render(request, "support_requests/offer.html", {"offer": offer})
    return _work_page(request, support_request)


def _work_page(request: HttpRequest, support_request: SupportRequest, **forms) -> HttpResponse:
    """The request, for the supporter working it or a lead; `forms` are bound forms to show
    with their errors beside their fields."""
    lead = access.is_lead_for(request.user, support_request)
    working = access.is_working_supporter(request.user, support_request) or lead
    context = {
        "support_request": support_request,
        "is_lead": lead,
        "is_supporter": support_request.assigned_to_id == request.user.pk,
        "can_work": working and support_request.status in SupportRequest.WORKING,
        "can_pause": working
        and support_request.status != SupportRequest.Status.CLOSED
        and support_request.first_contact_at is None,
        "notes": selectors.request_notes(support_request),
        "requester_messages": selectors.request_messages(support_request),
        "referrals": support_request.referrals.all(),
        "note_form": NoteForm(),
        "referral_form": ReferralForm(),
        "close_form": CloseForm(),
        "pause_form": PauseForm(zone=support_request.program.time_zone),
        "suggestions": selectors.supporter_suggestions(support_request)
        if lead and support_request.status in SupportRequest.MATCHING
        else [],
        "reads": selectors.request_reads(support_request) if lead else [],
        **forms,
    }
    return render(request, "support_requests/detail.html", context)


# --- one view per action on a request: access first (logged, 404 if not theirs), then one service


def action_view(view):
    """Never cached, signed in, and POST only."""
    return never_cache(login_required(require_POST(view)))


def _done(request: HttpRequest, pk: int, work, *, then: str = "") -> HttpResponse:
    """Run `work`, which returns the message to show; a refusal shows its reasons instead
    and goes back to the request."""
    try:
        messages.success(request, work())
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("support:detail", pk=pk)
    return redirect(then) if then else redirect("support:detail", pk=pk)


def _valid(form, message: str) -> dict:
    if not form.is_valid():
        raise ValidationError(message)
    return form.cleaned_data


@action_view
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = access.request_to_answer_or_404(request, pk)

    def work() -> str:
        services.request_accept(request=support_request, supporter=request.user)
        return "You've accepted the request. Please make first contact soon."

    return _done(request, pk, work)


@action_view
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = access.request_to_answer_or_404(request, pk)

    def work() -> str:
        services.request_decline(request=support_request, supporter=request.user)
        return "Declined. It goes to the next supporter."

    return _done(request, pk, work, then="support:queue")  # the request is no longer theirs to read


@action_view
def contacted(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = access.request_to_work_or_404(request, pk)

    def work() -> str:
        services.request_record_contact(request=support_request)
        return "First contact recorded."

    return _done(request, pk, work)


@action_view
def note(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = access.request_to_work_or_404(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _work_page(request, support_request, note_form=form)  # the note typed stays, with its error

    def work() -> str:
        services.note_add(request=support_request, author=request.user, text=form.cleaned_data["text"])
        return "Note saved."

    return _done(request, pk, work)


@action_view
def referral(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = access.request_to_work_or_404(request, pk)
    form = ReferralForm(request.POST)
    if not form.is_valid():
        return _work_page(request, support_request, referral_form=form)

    def work() -> str:
        services.referral_add(request=support_request, resource=form.cleaned_data["resource"])
        return "Referral recorded."

    return _done(request, pk, work)


@action_view
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """Closing cannot be undone: the first POST shows what will happen, and only a POST
    with confirm=1 closes."""
    support_request = access.request_to_work_or_404(request, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _work_page(request, support_request, close_form=form)
    outcome = form.cleaned_data["outcome"]
    if request.POST.get("confirm") != "1":
        context = {"support_request": support_request, "outcome": outcome, "outcome_label": Outcome(outcome).label}
        return render(request, "support_requests/confirm_close.html", context)

    def work() -> str:
        services.request_close(request=support_request, outcome=outcome)
        return "Request closed."

    return _done(request, pk, work)


@action_view
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = access.request_to_assign_or_404(request, pk)

    def work() -> str:
        chosen = _valid(AssignForm(request.POST), "Choose a supporter from the suggestions.")["supporter"]
        supporter = User.objects.filter(pk=chosen).first()
        if supporter is None:
            raise ValidationError("Choose a supporter from the suggestions.")
        services.request_offer(request=support_request, supporter=supporter)
        return f"Offered to {supporter.get_full_name()}."

    return _done(request, pk, work)


@never_cache
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    supporter_profile = SupporterProfile.objects.filter(user=request.user).first()
    if supporter_profile is None:
        raise Http404("Only peer supporters have a supporter profile")
    initial = {
        "specialty": supporter_profile.specialty,
        "home_department": supporter_profile.home_department,
        "career_stage": supporter_profile.career_stage,
        "languages": ", ".join(supporter_profile.languages),
        "capacity": supporter_profile.capacity,
        "disclosed_identities": ", ".join(supporter_profile.disclosed_identities),
        "identity_consent": supporter_profile.identity_consent_at is not None,
        "is_active": supporter_profile.is_active,
    }
    departments = supporter_profile.program.institution.support_departments.all()
    bound = request.POST if request.POST.get("form") == "profile" else None
    form = SupporterProfileForm(bound, initial=initial, departments=departments)
    away_form = AwayPeriodForm(request.POST if request.POST.get("form") == "away" else None)
    if form.is_bound and form.is_valid():
        services.supporter_profile_update(profile=supporter_profile, **form.cleaned_data)
        messages.success(request, "Your profile is saved.")
        return redirect("support:profile")
    if away_form.is_bound and away_form.is_valid():
        services.supporter_away_add(profile=supporter_profile, **away_form.cleaned_data)
        messages.success(request, "Noted: you won't be offered requests while you're away.")
        return redirect("support:profile")
    return render(
        request,
        "support_requests/profile.html",
        {"form": form, "away_form": away_form, "away": supporter_profile.away_periods.order_by("-starts_on")[:10]},
    )


@never_cache
@login_required
def report(request: HttpRequest) -> HttpResponse:
    programs = list(selectors.report_programs(request.user))
    if not programs:
        raise Http404("Reports are for coordinators and support leads")
    chosen = next((p for p in programs if str(p.pk) == request.GET.get("program")), programs[0])
    return render(
        request,
        "support_requests/report.html",
        {
            "programs": programs,
            "program": chosen,
            "report": reports.program_report(chosen),
            "feedback": feedback.feedback_report(chosen),
        },
    )
