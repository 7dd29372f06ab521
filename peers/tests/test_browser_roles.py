"""Every role's main pages, on the demo data, at 360 px and 1280 px in real Chromium:
no horizontal scrolling and no serious or critical axe-core violation on any of them
(peers/testing/axe.py). Each role signs in as a person would, two-factor code included."""

import time

import pytest
from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import call_command

from peers.management.commands.seed_demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, DOMAIN
from peers.testing.axe import assert_page_ok, horizontal_overflow, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 1280)
# Who, and the pages their work happens on (after the home page).
JOURNEYS = {
    "trainee": ["/sessions/", "/sessions/mine/", "/inbox/", "/support/", "/mentoring/"],
    "facilitator": ["/sessions/facilitate/", "/sessions/"],
    "mentor": ["/mentoring/"],
    "faculty": ["/mentoring/"],
    "supporter": ["/support/queue/", "/support/profile/"],
    "lead": ["/support/queue/", "/support/report/"],
    "coordinator": ["/mentoring/figures/", "/mentoring/interviews/", "/admin/", "/admin/sessions_app/session/"],
}


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # seed_demo refuses otherwise; the pages are served as in `make run`
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def _rosters(role: str) -> list[str]:
    """A coordinator's facilitator roster, one per program they coordinate."""
    if role != "coordinator":
        return []
    from peers.models import Membership, Role

    programs = Membership.objects.filter(user__email=f"{role}@{DOMAIN}", role=Role.COORDINATOR)
    return [f"/sessions/roster/{program_id}/" for program_id in programs.values_list("program_id", flat=True)[:1]]


def _sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    assert_page_ok(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    if "/2fa/" in page.url:
        assert_page_ok(page)
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // app_settings.TOTP_PERIOD))
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_load_state()
    assert page.url == f"{base_url}/", f"{email} signing in ended on {page.url}: {page.inner_text('main')[:300]}"


@pytest.mark.parametrize("role", JOURNEYS)
def test_each_role_s_pages_fit_a_phone_and_pass_axe(live_server, browser, demo, role):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        _sign_in(page, live_server.url, f"{role}@{DOMAIN}")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 740 if width < 400 else 800})
            for path in ["/", *JOURNEYS[role], *_rosters(role)]:
                page.goto(f"{live_server.url}{path}")
                assert page.url.startswith(f"{live_server.url}{path}"), f"{role} sent from {path} to {page.url}"
                assert_page_ok(page)
    finally:
        context.close()


def test_a_person_asking_for_help_without_an_account_meets_no_barrier(live_server, browser, demo):
    context = browser.new_context()
    page = context.new_page()
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 740})
            page.goto(f"{live_server.url}/support/")
            assert_page_ok(page)
    finally:
        context.close()


def test_the_checks_see_a_missing_alt_text_and_a_page_wider_than_the_phone(browser):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        page.set_content(
            '<html lang="en"><title>t</title><main><img src="x.png"><div style="width:700px">wide</div></main>'
        )
        assert any(line.startswith("image-alt (critical)") for line in serious_violations(page))
        assert horizontal_overflow(page) > 300
    finally:
        page.close()
