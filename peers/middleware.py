import zoneinfo

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from peers.selectors import user_requires_mfa

# Paths a person without MFA may still reach: the set-up pages themselves, sign-out,
# email verification, static files and health.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz")


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
