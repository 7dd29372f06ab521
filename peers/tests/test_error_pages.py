"""Every error page wears the product's layout: a rate-limited sign-in (allauth's 429)
shows the PEERS page with the way to urgent help, not allauth's bare fallback."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_rate_limited_sign_in_shows_the_product_page_with_urgent_help(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}
    data = {"login": "someone@example.edu", "password": "not-the-password"}
    statuses = [client.post("/accounts/login/", data).status_code for _ in range(3)]
    assert statuses[-1] == 429
    body = client.post("/accounts/login/", data).content.decode()
    assert "Too many tries in a short time" in body
    assert 'href="/support/"' in body  # urgent help is one tap away
    assert 'class="navbar' in body  # the product's layout, not a bare page
