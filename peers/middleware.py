import re
import time
import urllib.parse
import zoneinfo

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import BadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from peers.selectors import user_is_privileged, user_requires_mfa

# Paths a person without MFA may still reach: the set-up pages themselves, sign-out,
# email verification, static files and health.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz")

# No address has a control character; text (a query, a form field) may have a tab or a
# line break but none of the others. NUL is refused everywhere: PostgreSQL cannot store it.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NUL = re.compile(r"\x00")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RejectMalformedInputMiddleware:
    """Answer 400 to a request whose path, query, headers or form fields carry a NUL byte
    (or, in the path and query, a control character nobody types). Without this such a
    value reaches a query, PostgreSQL refuses it and the page answers 500. It runs first,
    before anything reads the session or the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _CONTROL.search(request.path_info) or _has(request.GET, _CONTROL_IN_TEXT):
            raise BadRequest("A control character in the address")
        if any("\x00" in value for key, value in request.META.items() if key.startswith("HTTP_")):
            raise BadRequest("A NUL byte in a header")
        if request.method == "POST" and request.content_type in _FORM_TYPES:
            if _has(request.POST, _NUL) or any(_NUL.search(f.name or "") for f in request.FILES.values()):
                raise BadRequest("A NUL byte in a form field")
        return self.get_response(request)


def _has(query, pattern: re.Pattern) -> bool:
    return any(pattern.search(key) or any(pattern.search(v) for v in values) for key, values in query.lists())


_LAST_ACTIVE = "peers_last_active"  # epoch seconds, in the session
_STAMP_EVERY_SECONDS = 60  # so that browsing is not a session write per request


def idle_limit_minutes(user) -> int:
    """30 minutes for anyone who can open other people's information (staff, the office,
    coordinators, peer supporters, support leads); PEERS_SESSION_IDLE_MINUTES for others."""
    if user_is_privileged(user):
        return min(settings.PEERS_PRIVILEGED_IDLE_MINUTES, settings.PEERS_SESSION_IDLE_MINUTES)
    return settings.PEERS_SESSION_IDLE_MINUTES


class SessionIdleTimeoutMiddleware:
    """Sign a person out after a while without activity, and send them to sign in again.

    1. The session keeps the time of the last request, refreshed at most once a minute.
    2. A request that comes later than the person's idle limit after it ends the session
       (logout flushes it), and the person is asked to sign in again, with a word why.
    The roles come from the memberships already loaded for the MFA check: no extra query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(_LAST_ACTIVE)
            limit = idle_limit_minutes(request.user)
            if isinstance(last, int) and now - last > limit * 60:
                return self._sign_out(request, limit)
            if not isinstance(last, int) or now - last >= _STAMP_EVERY_SECONDS:
                request.session[_LAST_ACTIVE] = now
        return self.get_response(request)

    def _sign_out(self, request, limit: int):
        logout(request)
        messages.info(
            request,
            f"You were signed out after {_duration(limit)} without activity, to keep other people's "
            "information safe on a shared or forgotten screen. Sign in again to carry on.",
        )
        url = reverse("account_login")
        if request.method in ("GET", "HEAD"):
            url += "?" + urllib.parse.urlencode({"next": request.get_full_path()})
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)


def session_stamp_at_sign_in(sender, request, user, **kwargs) -> None:
    """Signing in is activity: stamped with the session the sign-in writes anyway, so the
    first page after it does not write the session again (connected in PeersConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        request.session[_LAST_ACTIVE] = int(time.time())


def _duration(minutes: int) -> str:
    if minutes % 60:
        return f"{minutes} minutes" if minutes != 1 else "1 minute"
    hours = minutes // 60
    return f"{hours} hours" if hours != 1 else "1 hour"


class RequireMFAMiddleware:
    """Staff, coordinators, support leads and peer supporters must set up two-factor
    authentication before they can use anything else. allauth has no such setting."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up(request):
            messages.info(
                request,
                "Your role gives you access to other people's information, so your account needs "
                "two-factor authentication. Set it up now with an authenticator app; it takes a minute.",
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_set_up(self, request) -> bool:
        if not request.path.startswith(_ALLOWED_PREFIXES) and user_requires_mfa(request.user):
            return not Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
        return False


class UserTimeZoneMiddleware:
    """Show times in the signed-in person's own zone (stored in UTC, always)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.deactivate()
        if request.user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(request.user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                pass  # an unknown zone shows times in the site's default zone
        return self.get_response(request)
