"""Signed-in sessions end after a while idle (30 minutes for privileged roles) and when
the browser closes, unless the person asked to be remembered."""

import datetime
import re
import time

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peers.models import Role
from peers.services.crypto import text_decrypt
from peers.tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory, give_totp

pytestmark = pytest.mark.django_db

SIGNED_OUT = "You were signed out after"


def _minutes(n: float) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_coordinator_idle_for_31_minutes_is_signed_out_kindly(client, coordinator):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(coordinator)
        assert client.get("/inbox/").status_code == 200
        clock.move_to(start + _minutes(31))
        response = client.get("/inbox/?page=2")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Finbox%2F%3Fpage%3D2"
    assert not _signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert SIGNED_OUT + " 30 minutes without activity" in page


def test_activity_keeps_a_privileged_session_alive(client, coordinator):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(coordinator)
        for minutes in (1, 25, 50, 75):  # never 30 minutes apart
            clock.move_to(start + _minutes(minutes))
            assert client.get("/inbox/").status_code == 200
    assert _signed_in(client)


@pytest.mark.parametrize("role", [Role.PEER_SUPPORTER, Role.SUPPORT_LEAD])
def test_supporters_and_leads_have_the_30_minute_limit_too(client, program, role):
    user = UserFactory()
    give_totp(user)
    MembershipFactory(user=user, program=program, role=role)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(user)
        client.get("/inbox/")
        clock.move_to(start + _minutes(31))
        assert client.get("/inbox/").status_code == 302
    assert not _signed_in(client)


def test_a_trainee_keeps_the_longer_configured_limit(client, trainee, settings):
    settings.PEERS_SESSION_IDLE_MINUTES = 120
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(trainee)
        client.get("/inbox/")
        clock.move_to(start + _minutes(100))
        assert client.get("/inbox/").status_code == 200
        clock.move_to(start + _minutes(100 + 121))
        response = client.get("/inbox/")
    assert response.status_code == 302 and not _signed_in(client)
    assert SIGNED_OUT + " 2 hours without activity" in client.get(response["Location"]).content.decode()


def test_the_activity_stamp_is_written_at_most_once_a_minute(client, trainee):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(trainee)
        client.get("/inbox/")
        clock.move_to(start + datetime.timedelta(seconds=30))
        with CaptureQueriesContext(connection) as quiet:
            client.get("/inbox/")
        clock.move_to(start + datetime.timedelta(seconds=90))
        with CaptureQueriesContext(connection) as stamped:
            client.get("/inbox/")

    def session_writes(queries):
        return [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]

    assert session_writes(quiet.captured_queries) == []
    assert len(session_writes(stamped.captured_queries)) == 1


def test_a_password_sign_in_ends_with_the_browser_unless_remembered(client, trainee):
    client.post(reverse("account_login"), {"login": trainee.email, "password": TEST_PASSWORD})
    assert _signed_in(client) and client.session.get_expire_at_browser_close()
    assert not client.cookies["sessionid"]["max-age"]
    client.logout()
    client.post(reverse("account_login"), {"login": trainee.email, "password": TEST_PASSWORD, "remember": "on"})
    assert _signed_in(client) and not client.session.get_expire_at_browser_close()
    assert client.cookies["sessionid"]["max-age"]


def test_the_sign_in_page_offers_to_remember_me(client, program):
    assert 'name="remember"' in client.get(reverse("account_login")).content.decode()


def _sign_in_by_code(client, user, **extra):
    client.post(reverse("account_request_login_code"), {"email": user.email})
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)
    return client.post(reverse("account_confirm_login_code"), {"code": code, **extra})


def test_a_sign_in_by_code_ends_with_the_browser_unless_remembered(client, trainee):
    _sign_in_by_code(client, trainee)
    assert _signed_in(client) and client.session.get_expire_at_browser_close()
    assert not client.cookies["sessionid"]["max-age"]
    client.logout()
    _sign_in_by_code(client, trainee, remember="on")
    assert _signed_in(client) and not client.session.get_expire_at_browser_close()
    assert client.cookies["sessionid"]["max-age"]


def test_the_code_page_offers_to_remember_me(client, trainee):
    client.post(reverse("account_request_login_code"), {"email": trainee.email})
    assert 'name="remember"' in client.get(reverse("account_confirm_login_code")).content.decode()


def test_a_staff_sign_in_by_code_keeps_the_choice_through_two_factor(client, coordinator):
    _sign_in_by_code(client, coordinator, remember="on")
    assert not _signed_in(client)  # two-factor comes next
    secret = text_decrypt(coordinator.authenticator_set.get().data["secret"])
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert _signed_in(client) and not client.session.get_expire_at_browser_close()
