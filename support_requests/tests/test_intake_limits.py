"""The intake's rate limits and its protection against a doubled POST."""

import pytest
from django.urls import reverse

from support_requests.models import SupportRequest
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
