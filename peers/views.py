from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from peers import registry
from peers.access import notification_open_or_404
from peers.selectors import inbox_for, memberships_active_for
from peers.services.health import health_report
from peers.services.notifications import notification_mark_read, notifications_mark_all_read

INBOX_PAGE_SIZE = 25


@login_required
def home(request: HttpRequest) -> HttpResponse:
    todos = [item for provider in registry.todo_providers for item in provider(request.user)]
    # Urgent first, then whatever has a deadline, nearest first; the rest keep their order.
    todos.sort(key=lambda item: (not item.urgent, item.due is None, item.due or 0))
    return render(
        request,
        "peers/home.html",
        {"todos": todos, "memberships": memberships_active_for(request.user)},
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(inbox_for(request.user), INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "peers/inbox.html", {"page": page})


@login_required
def inbox_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notification_open_or_404(request.user, pk)
    notification_mark_read(notification=notification)
    return render(request, "peers/notification.html", {"notification": notification})


@login_required
@require_POST
def inbox_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(recipient=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    return redirect("inbox")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For monitoring: no login, nothing confidential; 200 when healthy, 503 when not."""
    report, healthy = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


def confirm_login_code(request: HttpRequest) -> HttpResponse:
    """allauth's page for the emailed code, which has no "Remember me" of its own: the
    session ends with the browser unless the box is ticked."""
    response = allauth_views.confirm_login_code(request)
    if request.method == "POST":
        remembered = request.POST.get("remember") in ("on", "true", "1")
        request.session.set_expiry(settings.SESSION_COOKIE_AGE if remembered else 0)
    return response


def error_400(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_429(request: HttpRequest, exception=None) -> HttpResponse:
    """Rate limited (allauth calls the URLconf's handler429): the product's page, with the
    way to urgent help, since the person who hits a limit may be the one who needs it."""
    return render(request, "errors/429.html", status=429)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
