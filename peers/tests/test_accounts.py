import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from peers.models import Institution, Role
from peers.services.crypto import text_decrypt
from peers.tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _login(client, email, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _reauthenticate(client):
    """allauth asks for the password again before any change to two-factor settings."""
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302


def test_trainee_signs_in_with_email_and_password_and_sees_my_peers(client, trainee):
    response = _login(client, "TRAINEE@example.edu")
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "MD Program" in home.content.decode()


def test_wrong_password_says_so_and_does_not_sign_in(client, trainee):
    response = _login(client, "trainee@example.edu", "not-the-password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert client.get("/").status_code == 302


def test_unverified_email_cannot_sign_in_until_verified(client, program):
    user = UserFactory(email="new@example.edu", verified=False)
    MembershipFactory(user=user, program=program)
    response = _login(client, "new@example.edu")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get("/").status_code == 302
    (message,) = mail.outbox
    assert "new@example.edu" in message.to


def test_login_by_code_sends_a_code_that_signs_in(client, trainee):
    response = client.post(reverse("account_request_login_code"), {"email": "trainee@example.edu"})
    assert response.status_code == 302
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.SUPPORT_LEAD, Role.PEER_SUPPORTER])
def test_privileged_roles_must_set_up_mfa_before_using_the_site(client, program, role):
    user = UserFactory(email="privileged@example.edu", is_staff=role == Role.COORDINATOR)
    MembershipFactory(user=user, program=program, role=role)
    _login(client, user.email)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(response["Location"])["Location"].startswith(reverse("account_reauthenticate"))
    _reauthenticate(client)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "two-factor authentication" in page.content.decode()
    assert client.get("/inbox/")["Location"] == reverse("mfa_activate_totp")


def test_staff_without_mfa_cannot_open_the_admin(client, outsider):
    outsider.is_staff = True
    outsider.save()
    client.force_login(outsider)
    assert client.get("/admin/")["Location"] == reverse("mfa_activate_totp")


def test_privileged_user_with_mfa_uses_the_site(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/").status_code == 200


def test_trainee_is_not_forced_into_mfa(client, trainee):
    client.force_login(trainee)
    assert client.get("/").status_code == 200


def test_totp_activation_stores_the_secret_encrypted(client, coordinator):
    Authenticator.objects.filter(user=coordinator).delete()
    _login(client, coordinator.email)
    _reauthenticate(client)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    stored = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.TOTP).data["secret"]
    assert stored != secret and secret not in stored
    assert text_decrypt(stored) == secret
    assert client.get("/").status_code == 200


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_sign_up_is_closed_by_default(client, db):
    response = client.get(reverse("account_signup"))
    assert "Sign Up Closed" in response.content.decode()


def test_sign_up_is_open_only_to_the_institutions_domains(client, db):
    Institution.objects.create(name="Lakeshore", allowed_email_domains=["lakeshore.example"], allow_self_signup=True)
    refused = client.post(
        reverse("account_signup"),
        {"email": "someone@gmail.example", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"},
    )
    assert refused.status_code == 200
    assert "Sign-up is open only to addresses of participating institutions" in refused.content.decode()
    accepted = client.post(
        reverse("account_signup"),
        {"email": "someone@lakeshore.example", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"},
    )
    assert accepted.status_code == 302
    assert "someone@lakeshore.example" in mail.outbox[-1].to


def test_password_reset_sends_a_link_by_email(client, trainee):
    response = client.post(reverse("account_reset_password"), {"email": "trainee@example.edu"})
    assert response.status_code == 302
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body
