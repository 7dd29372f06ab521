"""A mistyped address shows the product's 404 page even with DEBUG on (peers/not_found.py)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [True, False])
def test_a_mistyped_address_shows_the_product_page_not_the_url_patterns(client, settings, debug):
    settings.DEBUG = debug
    response = client.get("/sesions/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "We can't find that page" in body
    assert "URLconf" not in body and "admin/" not in body


def test_a_view_that_finds_nothing_shows_the_product_page_with_debug_on(client, settings, trainee):
    settings.DEBUG = True
    client.force_login(trainee)
    response = client.get("/inbox/999999/")
    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()
    assert "Raised by" not in response.content.decode()


def test_a_missing_trailing_slash_is_still_redirected_with_debug_on(client, settings):
    settings.DEBUG = True
    response = client.get("/accounts/login")
    assert response.status_code == 301 and response["Location"] == "/accounts/login/"
