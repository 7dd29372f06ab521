"""On a phone (360 px), in real Chromium: a chief resident asks that a colleague be
contacted, the lead offers it to a supporter, the supporter accepts and sends the outreach
message, and the colleague says no thanks with one click from the link in that email.
Every page visited fits the screen and passes axe (peers/testing/axe.py)."""

import re

import pytest
from django.core import mail
from django.test import Client

from peers.models import Role
from peers.testing.axe import assert_page_ok
from peers.tests.factories import MembershipFactory, UserFactory
from support_requests.models import Outreach

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Robin Referred"
CONTACT = "robin.referred@private.example"


def _phone_as(browser, live_server, user):
    """A phone-sized page signed in as `user` (the session made by the test client)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    return page


def test_a_chief_resident_refers_a_colleague_who_declines_with_one_click(
    live_server, browser, program, lead, make_supporter
):
    chief = UserFactory(email="chief.resident@example.edu", name="Casey Chief")
    MembershipFactory(user=chief, program=program, role=Role.TRAINEE)
    supporter = make_supporter("assigned@example.edu")

    # The chief resident asks, giving only a name and a contact.
    asking = _phone_as(browser, live_server, chief)
    asking.goto(f"{live_server.url}/support/")
    asking.get_by_role("link", name="Ask us to reach out to them").click()
    assert asking.get_by_text("Please give no clinical details").is_visible()
    assert_page_ok(asking)
    asking.get_by_label("Their program").select_option(label=program.name)
    asking.get_by_label("Their name").fill(NAME)
    asking.get_by_label("Their email address or phone number").fill(CONTACT)
    asking.get_by_label("This follows a difficult event at work").check()
    assert not asking.get_by_label("You may tell them I asked").is_checked()
    asking.get_by_role("button", name="Ask a peer supporter to reach out").click()
    assert asking.get_by_text("A trained peer supporter will reach out to them soon").is_visible()
    assert asking.get_by_text("a peer supporter will reach out soon").is_visible()
    assert_page_ok(asking)
    request = Outreach.objects.select_related("request").get().request

    # The lead offers it to a supporter.
    leading = _phone_as(browser, live_server, lead)
    leading.goto(f"{live_server.url}/support/queue/")
    assert_page_ok(leading)
    leading.get_by_role("link", name=request.reference).click()
    assert leading.get_by_text(NAME).is_visible()
    assert_page_ok(leading)
    leading.get_by_role("button", name="Offer").click()
    assert leading.get_by_text(f"Offered to {supporter.get_full_name()}").is_visible()

    # The supporter sees no name until they accept, then sends the message.
    supporting = _phone_as(browser, live_server, supporter)
    supporting.goto(f"{live_server.url}/support/queue/{request.pk}/")
    assert supporting.get_by_text("Offered to you").is_visible()
    assert NAME not in supporting.content() and CONTACT not in supporting.content()
    assert_page_ok(supporting)
    supporting.get_by_role("button", name="Accept").click()
    assert supporting.get_by_text(NAME).is_visible()
    assert_page_ok(supporting)
    supporting.get_by_role("button", name="Send the outreach message").click()
    assert supporting.get_by_text("Your message has gone out").is_visible()

    # The colleague says no thanks from the link in the email.
    (email,) = mail.outbox
    assert email.to == [CONTACT] and chief.get_full_name() not in email.body
    link = re.search(r"https?://\S+/support/no-thanks/\S+/", email.body).group(0)
    colleague = _phone_as(browser, live_server, None)
    colleague.goto(live_server.url + link[link.index("/support/") :])
    assert_page_ok(colleague)
    colleague.get_by_role("button", name="No thanks, please don't contact me").click()
    assert colleague.get_by_role("heading", name="Thank you for letting us know").is_visible()
    assert colleague.get_by_text("We won't contact you about this again").is_visible()
    assert_page_ok(colleague)

    supporting.reload()
    assert supporting.get_by_text("They said no thanks by the link").is_visible()
    asking.reload()
    assert asking.get_by_text("a peer supporter has reached out").is_visible()
    assert "declined" not in asking.content().lower()
    for page in (asking, leading, supporting, colleague):
        assert page.console_errors == []
