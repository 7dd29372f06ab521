import re
import zoneinfo

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from peers.selectors import user_requires_mfa

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
