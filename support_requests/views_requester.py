"""The requester's pages: their status page (by private link, or signed in from "My
requests"), and getting a lost link back. Confidential: never cached, every read logged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from support_requests import access, intake_guard, selectors, services
from support_requests.forms import ContactForm
from support_requests.forms_requester import FeedbackForm, MessageForm, RecoveryForm
from support_requests.models import SupportRequest
from support_requests.resources import resources_context


@never_cache
def status(request: HttpRequest, token: str) -> HttpResponse:
    try:
        support_request = access.request_by_token_or_404(request, token)
    except access.TooManyAttempts:
        return render(request, "support_requests/status_limited.html", resources_context(request), status=429)
    return _requester_page(request, support_request, reverse("support:status", args=[token]))


@never_cache
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "support_requests/mine.html", {"requests": selectors.requests_of(request.user)})


@never_cache
@login_required
def mine_detail(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = access.request_of_requester_or_404(request, pk)
    return _requester_page(request, support_request, reverse("support:mine_detail", args=[pk]))


def _requester_page(request: HttpRequest, support_request: SupportRequest, here: str) -> HttpResponse:
    """The status page and its four actions, each posted back to the page's own address."""
    action = request.POST.get("action", "contact") if request.method == "POST" else ""
    forms = {
        "form": ContactForm(request.POST if action == "contact" else None),
        "message_form": MessageForm(request.POST if action == "message" else None),
        "feedback_form": FeedbackForm(request.POST if action == "feedback" else None),
    }
    if action == "withdraw" and request.POST.get("confirm") != "1":
        context = {"support_request": support_request, "here": here}
        return render(request, "support_requests/confirm_withdraw.html", context)
    work = _ACTIONS.get(action)
    if work is not None:
        try:
            done = work(support_request, forms)
            if done:
                messages.success(request, done)
                return redirect(here)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
    context = {
        "support_request": support_request,
        "program": support_request.program,
        "here": here,
        "requester_messages": selectors.request_messages(support_request),
        **forms,
        **resources_context(request, institution=support_request.program.institution, support_request=support_request),
    }
    return render(request, "support_requests/status.html", context)


def _contact(support_request: SupportRequest, forms: dict) -> str:
    if support_request.status == SupportRequest.Status.CLOSED:
        raise ValidationError("This request is closed, so nobody will contact you about it.")
    if not forms["form"].is_valid():
        return ""
    services.request_add_contact(request=support_request, **forms["form"].cleaned_data)
    return "Thank you: we'll use this to reach you."


def _message(support_request: SupportRequest, forms: dict) -> str:
    if not forms["message_form"].is_valid():
        return ""
    services.message_add(request=support_request, text=forms["message_form"].cleaned_data["text"])
    return "Your message is added. Your peer supporter (or a support lead) will see it."


def _withdraw(support_request: SupportRequest, forms: dict) -> str:
    if not services.request_withdraw(request=support_request):
        raise ValidationError("This request is already closed: there is nothing to withdraw.")
    return "Your request is withdrawn. We've told the people who were looking after it. You can ask again at any time."


def _feedback(support_request: SupportRequest, forms: dict) -> str:
    if not forms["feedback_form"].is_valid():
        return ""
    services.feedback_give(request=support_request, **forms["feedback_form"].cleaned_data)
    return "Thank you for your feedback."


_ACTIONS = {"contact": _contact, "message": _message, "withdraw": _withdraw, "feedback": _feedback}


@never_cache
def recover(request: HttpRequest) -> HttpResponse:
    """A lost status link. Every post that reaches the service gets the same page, whether
    or not the reference and the contact match; the comparing happens later, in a sweep
    (services.recovery). Past the limit, or from a bot, nothing is saved."""
    form = RecoveryForm(request.POST or None)
    if request.method != "POST":
        return render(request, "support_requests/recover.html", {"form": form, **resources_context(request)})
    if request.POST.get("website"):
        return render(request, "support_requests/recover_sent.html", resources_context(request))  # a bot
    if intake_guard.recovery_limited(request):
        return render(request, "support_requests/recover_limited.html", resources_context(request), status=429)
    if not form.is_valid():
        return render(request, "support_requests/recover.html", {"form": form, **resources_context(request)})
    services.link_recovery_ask(reference=form.cleaned_data["reference"], contact=form.cleaned_data["contact"])
    return render(request, "support_requests/recover_sent.html", resources_context(request))
