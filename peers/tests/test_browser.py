"""Phone-sized browser checks with Debian's chromium driven by Playwright."""

import pytest

from peers.tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_trainee_signs_in_on_a_phone_and_opens_the_inbox_from_the_menu(live_server, phone, trainee):
    phone.goto(f"{live_server.url}/")
    phone.get_by_label("Email").fill("trainee@example.edu")
    phone.get_by_label("Password").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="Sign In").click()
    phone.wait_for_url(f"{live_server.url}/")
    assert phone.get_by_role("heading", name="What to do next").is_visible()
    inbox_link = phone.get_by_role("link", name="Inbox")
    assert not inbox_link.is_visible()  # collapsed behind the menu button on a phone
    phone.get_by_role("button", name="Open the menu").click()
    inbox_link.click()
    phone.wait_for_url(f"{live_server.url}/inbox/")
    assert phone.get_by_text("Your inbox is empty").is_visible()
    assert phone.console_errors == []  # no script or style blocked by the Content-Security-Policy
