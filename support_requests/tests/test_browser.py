"""Asking for support without an account, on a phone: the screening path and the full path."""

import pytest

from support_requests.models import SupportRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _screen(phone, program, yes: str | None = None):
    phone.get_by_label("Your program").select_option(label=program.name)
    for group in phone.locator(
        "#div_id_self_harm, #div_id_substance, #div_id_mental_health, #div_id_medical_advice"
    ).all():
        group.get_by_label("No").check()
    if yes:
        phone.locator(f"#div_id_{yes}").get_by_label("Yes").check()
    phone.get_by_role("button", name="Continue").click()


def test_a_yes_in_screening_shows_crisis_resources_and_reaches_a_lead(live_server, phone, program):
    program.institution.crisis_resources = "Lakeshore Crisis Line: 555-0100"
    program.institution.save()
    phone.goto(f"{live_server.url}/support/")
    assert phone.get_by_text("Lakeshore Crisis Line: 555-0100").first.is_visible()
    _screen(phone, program, yes="self_harm")
    assert phone.get_by_role("heading", name="Thank you for telling us").is_visible()
    assert phone.get_by_text("Lakeshore Crisis Line: 555-0100").first.is_visible()
    request = SupportRequest.objects.get()
    assert request.status == "needs_referral"
    assert phone.get_by_text(request.reference).first.is_visible()
    assert phone.get_by_role("link", name="Call 555-0100").first.get_attribute("href") == "tel:5550100"
    _fits_a_small_phone(phone)
    crisis, send = (
        phone.locator(".alert-danger").first.bounding_box(),
        phone.get_by_role("button", name="Send").bounding_box(),
    )
    assert crisis["y"] + crisis["height"] <= send["y"]  # the resources come first, never over the button
    assert phone.console_errors == []


def _fits_a_small_phone(phone):
    phone.set_viewport_size({"width": 360, "height": 740})
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # the status link wraps


def test_a_request_without_an_account_gets_a_reference_and_a_status_page(live_server, phone, program):
    phone.goto(f"{live_server.url}/support/")
    _screen(phone, program)
    phone.get_by_label("What is it about?").select_option(label="Burnout or moral injury")
    phone.get_by_label("Email address or phone number").fill("a.rather.long.address.for.a.phone@private.example")
    phone.get_by_role("button", name="Send my request").click()
    assert phone.get_by_role("heading", name="We've received your request").is_visible()
    request = SupportRequest.objects.get()
    _fits_a_small_phone(phone)
    phone.get_by_role("button", name="Copy the link").click()
    # The clipboard answers asynchronously: wait for the sentence rather than read it at once.
    phone.wait_for_function("document.getElementById('status-link-copied').textContent !== ''", timeout=10_000)
    assert "link is" in phone.locator("#status-link-copied").inner_text()
    assert phone.get_by_role("button", name="Email it to me").is_visible()
    phone.get_by_role("link", name="/support/status/").click()
    assert phone.get_by_text("Waiting to be matched").is_visible()
    assert phone.get_by_text(request.reference).first.is_visible()
    assert phone.console_errors == []
