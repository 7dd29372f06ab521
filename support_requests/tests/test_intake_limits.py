"""The intake's rate limits and its protection against a doubled POST."""

import base64
import re
import time

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from peers.testing.concurrency import run_concurrently
from peers.tests.factories import UserFactory
from support_requests import services
from support_requests.models import SupportRequest, status_token_hash
from support_requests.tests.conftest import NO
from support_requests.tests.test_views import _details

pytestmark = pytest.mark.django_db

LIMITED = "several requests from this connection"


def test_a_spoofed_first_forwarded_entry_does_not_escape_the_limit(client, settings, program):
    settings.PEERS_TRUSTED_PROXY_COUNT = 1
    for n in range(6):
        response = client.post(
            reverse("support:intake"),
            _details(program),
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.7",
            REMOTE_ADDR="10.0.0.5",
        )
    assert LIMITED in response.content.decode()
    assert SupportRequest.objects.count() == 5


def test_people_behind_the_same_proxy_are_told_apart(client, settings, program):
    settings.PEERS_TRUSTED_PROXY_COUNT = 1
    for n in range(6):
        response = client.post(
            reverse("support:intake"), _details(program), HTTP_X_FORWARDED_FOR=f"203.0.113.{n}", REMOTE_ADDR="10.0.0.5"
        )
    assert LIMITED not in response.content.decode()
    assert SupportRequest.objects.count() == 6


def _form_token(client) -> str:
    page = client.get(reverse("support:intake")).content.decode()
    return re.search(r'name="submission" value="([^"]+)"', page).group(1)


def test_the_signed_in_intake_is_limited_per_account(client, program, trainee):
    client.force_login(trainee)
    for n in range(6):  # a new address each time: the account's own count still applies
        response = client.post(reverse("support:intake"), _details(program), REMOTE_ADDR=f"203.0.113.{n}")
    assert LIMITED in response.content.decode()
    assert SupportRequest.objects.filter(requester=trainee).count() == 5


def test_the_signed_in_intake_is_limited_per_address(client, program):
    for _ in range(6):  # a new account each time, one address
        client.force_login(UserFactory())
        response = client.post(reverse("support:intake"), _details(program), REMOTE_ADDR="203.0.113.7")
    assert LIMITED in response.content.decode()
    assert SupportRequest.objects.count() == 5


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_doubled_post_creates_one_request_and_shows_its_status(client, program, trainee, signed_in):
    if signed_in:
        client.force_login(trainee)
    data = _details(program, submission=_form_token(client))
    first = client.post(reverse("support:intake"), data)
    second = client.post(reverse("support:intake"), data)
    request = SupportRequest.objects.get()
    assert request.reference in first.content.decode()
    assert second.status_code == 302
    token = second["Location"].removeprefix("/support/status/").strip("/")
    assert request.status_token_hash == status_token_hash(token)
    assert f"/support/status/{token}/" in first.content.decode()  # the link the first page showed


def test_a_doubled_screened_out_post_creates_one_request(client, program):
    data = {"step": "screening", **{k: "no" for k in NO}, "self_harm": "yes", "program": program.pk}
    data["submission"] = _form_token(client)
    client.post(reverse("support:intake"), data)
    client.post(reverse("support:intake"), data)
    assert SupportRequest.objects.get().status == "needs_referral"


def test_a_refused_post_leaves_the_form_usable(client, program):
    data = _details(program, submission=_form_token(client))
    client.post(reverse("support:intake"), {**data, "reason": "aliens"})  # invalid: nothing claimed
    client.post(reverse("support:intake"), data)
    assert SupportRequest.objects.count() == 1


def test_each_rendered_form_carries_its_own_token(client, program):
    assert _form_token(client) != _form_token(client)


def test_the_same_token_from_another_account_is_not_a_duplicate(client, program, trainee):
    token = _form_token(client)
    client.force_login(trainee)
    client.post(reverse("support:intake"), _details(program, submission=token))
    client.force_login(UserFactory())
    response = client.post(reverse("support:intake"), _details(program, submission=token))
    assert response.status_code == 200 and SupportRequest.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_of_one_form_create_one_request(program, trainee, monkeypatch):
    """Two real threads post the same form at once. request_create is slowed down so that
    both are inside the view together; without the claim both would create a request."""
    real_create = services.request_create

    def slow_create(**kwargs):
        time.sleep(0.5)
        return real_create(**kwargs)

    monkeypatch.setattr(services, "request_create", slow_create)
    data = _details(program, submission="double-tap-token-0123456789")

    def post():
        client = Client()
        client.force_login(trainee)
        return client.post(reverse("support:intake"), data).status_code

    statuses = run_concurrently(post, post)
    assert SupportRequest.objects.count() == 1
    assert sorted(statuses) == [200, 302]


def test_a_post_that_failed_can_be_sent_again(client, program, monkeypatch):
    data = _details(program, submission=_form_token(client))
    real_create = services.request_create

    def broken_create(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "request_create", broken_create)
    client.raise_request_exception = False
    assert client.post(reverse("support:intake"), data).status_code == 500
    monkeypatch.setattr(services, "request_create", real_create)
    assert client.post(reverse("support:intake"), data).status_code == 200
    assert SupportRequest.objects.count() == 1


def test_with_redis_down_a_request_is_still_taken(client, program, monkeypatch):
    def down(*args, **kwargs):
        raise redis.ConnectionError("Redis is down")

    data = _details(program, submission=_form_token(client))
    for operation in ("add", "incr", "get", "set", "delete"):
        monkeypatch.setattr(cache, operation, down)
    response = client.post(reverse("support:intake"), data)
    assert response.status_code == 200 and SupportRequest.objects.count() == 1


def test_the_cache_table_names_nobody_and_holds_no_status_link(client, program, trainee):
    """The cache is a database table: its keys and values must not say who asked for help
    (an account id, an address) nor hold a usable status link."""
    client.force_login(trainee)
    data = _details(program, submission=_form_token(client))
    first = client.post(reverse("support:intake"), data, REMOTE_ADDR="203.0.113.9")
    client.post(reverse("support:intake"), data, REMOTE_ADDR="203.0.113.9")
    token = re.search(r'href="/support/status/([^/"]+)/"', first.content.decode()).group(1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM peers_cache")
        # Values are stored pickled and base64-encoded: read them as the bytes they hold.
        rows = " ".join(f"{key} {base64.b64decode(value)!r}" for key, value in cursor.fetchall())
    assert rows  # the limits and the claim are there...
    assert token not in rows and "/support/status/" not in rows  # ...without the link
    assert "203.0.113.9" not in rows and f":{trainee.pk}:" not in rows and data["submission"] not in rows
