"""A lost status link, asked for again: the page says the same thing, takes the same path
and keeps the same row for a wrong code, a wrong contact and a match; only a match gets a
new link, by email, once the sweep has looked; and a bot gets nowhere."""

import re
import time

import pytest
from django.core import mail
from django.urls import reverse

from peers.models import AccessLog
from peers.testing.concurrency import run_concurrently
from support_requests import services, sms
from support_requests.intake_guard import RECOVERIES_PER_HOUR
from support_requests.models import LinkRecovery, SupportRequest
from support_requests.services import recovery
from support_requests.tests.test_status_token import _ask_for_support

pytestmark = pytest.mark.django_db

CONTACT = "Me@Private.example"


def _recover(client, reference, contact, **extra):
    return client.post(reverse("support:recover"), {"reference": reference, "contact": contact, **extra})


def _page_words(response) -> str:
    """What the person reads: the page without its per-response CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.fixture
def asked(make_request):
    return make_request(contact_method="email", contact_details="me@private.example")


def test_a_wrong_code_a_wrong_contact_and_a_match_read_the_same_and_take_the_same_path(client, asked, lead):
    pages = [
        _recover(client, "PS-ZZZZZZ", CONTACT),  # no such request
        _recover(client, asked.reference, "someone.else@example.org"),  # the right code, the wrong contact
        _recover(client, asked.reference.lower(), CONTACT),  # both right (any case)
    ]
    assert {page.status_code for page in pages} == {200}
    assert len({_page_words(page) for page in pages}) == 1
    assert "If that reference code and that contact belong to the same request" in _page_words(pages[0])
    assert LinkRecovery.objects.filter(processed_at=None).count() == 3  # each post did the same: one row
    assert mail.outbox == []  # nothing is decided on the page itself


def test_only_a_match_gets_a_new_link_and_the_old_one_stops_working(client, program, lead):
    old_token = _ask_for_support(client, program)  # left a phone number
    request = SupportRequest.objects.get()
    request.contact_method, request.contact_details = "email", "me@private.example"
    request.save()
    mail.outbox.clear()
    _recover(client, "PS-ZZZZZZ", CONTACT)
    _recover(client, request.reference, "me@private.example.org")
    assert services.link_recoveries_process() == 2
    assert mail.outbox == []
    assert client.get(reverse("support:status", args=[old_token])).status_code == 200  # a wrong guess changes nothing

    _recover(client, request.reference, f"  {CONTACT} ")
    assert services.link_recoveries_process() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["me@private.example"]
    new_token = re.search(r"/support/status/([^/\s]+)/", mail.outbox[0].body).group(1)
    assert client.get(reverse("support:status", args=[new_token])).status_code == 200
    assert client.get(reverse("support:status", args=[old_token])).status_code == 404
    # What was typed is emptied once looked at; the access log says a match, naming nobody.
    assert not LinkRecovery.objects.exclude(reference=None).exists()
    logged = AccessLog.objects.using("audit").filter(action="status_link_recovery")
    assert sorted(logged.values_list("allowed", flat=True)) == [False, False, True]
    assert set(logged.values_list("actor", "ip")) == {(None, None)}


def test_a_phone_number_matches_whatever_its_spacing_and_gets_the_new_link_by_text(client, make_request, settings):
    settings.PEERS_SMS_BACKEND = "support_requests.sms.LocmemBackend"
    sms.LocmemBackend.outbox.clear()
    request = make_request(contact_method="phone", contact_details="+1 (555) 013-3444")
    assert recovery._matching_request(request.reference, "555 013 3444") == request
    assert recovery._matching_request(request.reference, "555 013 3445") is None
    wrong = _recover(client, request.reference, "555 013 3445")
    right = _recover(client, request.reference, "5550133444")
    assert _page_words(wrong) == _page_words(right)  # the page says the same whatever matched
    assert services.link_recoveries_process() == 2
    assert mail.outbox == []
    (text,) = sms.LocmemBackend.outbox
    assert text.to == "+1 (555) 013-3444"
    token = re.search(r"/support/status/([^/\s]+)/", text.body).group(1)
    assert client.get(reverse("support:status", args=[token])).status_code == 200
    assert f"your new private link for request {request.reference}" in text.body


def test_a_match_posted_again_and_again_sends_one_new_link_an_hour(client, asked):
    mail.outbox.clear()
    for _ in range(3):
        _recover(client, asked.reference, CONTACT)
    services.link_recoveries_process()
    assert len(mail.outbox) == 1


def test_a_bot_posting_the_form_100_times_saves_five_and_is_then_refused(client, asked):
    mail.outbox.clear()
    pages = [_recover(client, f"PS-AAAA{n % 10}{n % 7}", CONTACT) for n in range(100)]
    codes = [page.status_code for page in pages]
    assert codes[:RECOVERIES_PER_HOUR] == [200] * RECOVERIES_PER_HOUR
    assert set(codes[RECOVERIES_PER_HOUR:]) == {429}
    assert "several requests for a new link from this connection" in pages[-1].content.decode()
    assert "Crisis line: 555-0100" in pages[-1].content.decode()  # the crisis resources, still
    assert LinkRecovery.objects.count() == RECOVERIES_PER_HOUR
    # Even the right pair, from that connection, is now refused: the limit is per address, not per guess.
    assert _recover(client, asked.reference, CONTACT).status_code == 429
    services.link_recoveries_process()
    assert mail.outbox == []


def test_the_honeypot_keeps_nothing(client, asked):
    page = _recover(client, asked.reference, CONTACT, website="https://spam.example")
    assert page.status_code == 200 and not LinkRecovery.objects.exists()


def test_an_empty_form_says_what_is_missing(client):
    page = _recover(client, "", "").content.decode()
    assert "Type the reference code of your request." in page
    assert "Type the email address or phone number you gave us." in page
    assert not LinkRecovery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_recovery_sweeps_at_once_look_at_each_post_once(asked, monkeypatch):
    services.link_recovery_ask(reference=asked.reference, contact=CONTACT)
    original = recovery._recover

    def slow(reference, contact):  # hold the claim long enough for the other sweep to look
        original(reference, contact)
        time.sleep(0.5)

    monkeypatch.setattr(recovery, "_recover", slow)
    done = run_concurrently(services.link_recoveries_process, services.link_recoveries_process)
    assert sorted(done) == [0, 1]
