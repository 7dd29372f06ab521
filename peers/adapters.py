from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from peers.addresses import client_address
from peers.models import Institution
from peers.services.crypto import text_decrypt, text_encrypt


def _signup_domains() -> set[str]:
    domains: set[str] = set()
    for row in Institution.objects.filter(allow_self_signup=True).values_list("allowed_email_domains", flat=True):
        domains.update(row)
    return domains


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from roster import. Self sign-up exists only for institutions that
    turn it on, and only for addresses in their email domains."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(_signup_domains())

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email).lower()
        request = getattr(self, "request", None)
        if request is not None and request.resolver_match and request.resolver_match.url_name == "account_signup":
            domain = email.rsplit("@", 1)[-1]
            if domain not in _signup_domains():
                raise forms.ValidationError(
                    "Sign-up is open only to addresses of participating institutions. "
                    "Use your institutional email, or ask your program coordinator to add you."
                )
        return email

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's rate limits and session records use the same address as ours."""
        address = client_address(request)
        if address == "unknown":
            raise PermissionDenied("Unable to determine client IP address")
        return address


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored encrypted with the app's keys."""

    def encrypt(self, text: str) -> str:
        return text_encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return text_decrypt(encrypted_text)
