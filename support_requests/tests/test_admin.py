"""The support admin counts nothing: figures that count requests are in the suppressed report."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_request_admin_shows_no_facet_counts(client, coordinator, make_request):
    for _ in range(3):
        make_request(reason="complaint")
    client.force_login(coordinator)
    page = client.get(reverse("admin:support_requests_supportrequest_changelist") + "?_facets=True")
    assert page.status_code == 200
    assert "Waiting to be matched" in page.content.decode() and "Waiting to be matched (3)" not in page.content.decode()
