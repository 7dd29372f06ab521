"""On a phone, a requester without an account who lost their link: a wrong contact and the
right one read the same; the new link arrives by email; from it they add a message and
withdraw, confirming first."""

import re

import pytest
from django.core import mail

from support_requests import services
from support_requests.models import RequesterMessage, SupportRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAME_WORDS = "If that reference code and that contact belong to the same request"


def _ask_for_a_new_link(phone, base, reference, contact):
    phone.goto(f"{base}/support/")
    phone.get_by_role("link", name="Lost the link to your request").click()
    phone.get_by_label("Your reference code").fill(reference)
    phone.get_by_label("The email address or phone number you left").fill(contact)
    phone.get_by_role("button", name="Send me a new link").click()
    return phone.locator("main").inner_text()


def test_a_lost_link_comes_back_by_email_and_the_requester_adds_a_message_then_withdraws(
    live_server, phone, make_request, lead
):
    request = make_request(contact_method="email", contact_details="me@private.example")
    wrong = _ask_for_a_new_link(phone, live_server.url, request.reference, "not.me@private.example")
    right = _ask_for_a_new_link(phone, live_server.url, request.reference.lower(), "ME@private.example")
    assert SAME_WORDS in wrong and wrong == right
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    mail.outbox.clear()
    services.link_recoveries_process()
    (email,) = mail.outbox
    link = re.search(r"https?://\S+/support/status/\S+/", email.body).group(0)
    phone.goto(live_server.url + link[link.index("/support/") :])
    assert phone.get_by_role("heading", name=f"Request {request.reference}").is_visible()

    phone.get_by_label("Add a message").fill("Evenings are best for me.")
    phone.get_by_role("button", name="Send", exact=True).click()
    assert phone.get_by_text("Your message is added").is_visible()
    assert RequesterMessage.objects.get().text == "Evenings are best for me."

    phone.get_by_role("button", name="Withdraw my request").click()
    assert phone.get_by_role("heading", name=f"Withdraw your request {request.reference}?").is_visible()
    phone.get_by_role("button", name="Yes, withdraw it").click()
    assert phone.get_by_text("Your request is withdrawn").is_visible()
    assert SupportRequest.objects.get().outcome == "withdrawn"
    assert phone.console_errors == []
