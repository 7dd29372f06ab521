"""Phone-sized browser checks with Debian's chromium driven by Playwright."""

import os
import shutil

import pytest

from peers.tests.factories import TEST_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run installs Debian's chromium package.")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests need it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    context.close()


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
