"""What a person in distress reads: crisis numbers to tap, the status link to keep, plain
words, no codes, and a confirmation before a request is closed."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from peers.models import Notification
from support_requests.models import SupportRequest, status_token_hash
from support_requests.templatetags.support_tags import crisis_links
from support_requests.tests.conftest import NO
from support_requests.tests.test_views import SCREEN_NO, _details, _status_token

pytestmark = pytest.mark.django_db


def _screened_out(client, program):
    return client.post(reverse("support:intake"), {**SCREEN_NO, "program": program.pk, "self_harm": "yes"})


def test_crisis_numbers_become_tel_links_and_everything_else_is_escaped():
    html = crisis_links("Lakeshore Crisis Line: 555-0100\nCall 988 or +1 (416) 555-0199 <b>24/7</b>\nRoom 312")
    calls = dict(re.findall(r'href="(tel:[^"]+)">(Call [^<]+)</a>', html))
    assert calls == {
        "tel:5550100": "Call 555-0100",
        "tel:988": "Call 988",
        "tel:+14165550199": "Call +1 (416) 555-0199",
    }
    assert "Lakeshore Crisis Line: 555-0100<br>" in html  # the institution's words, whole
    assert "&lt;b&gt;24/7&lt;/b&gt;" in html and "<b>" not in html
    assert "Room 312" in html and "tel:312" not in html


def test_a_number_in_hostile_text_is_still_escaped():
    html = crisis_links('<script>alert(1)</script> "555-0100"')
    assert "<script>" not in html and "&lt;script&gt;" in html and 'href="tel:5550100"' in html


def test_the_screened_out_page_shows_the_resources_first_in_plain_words(client, program):
    program.institution.crisis_resources = "Lakeshore Crisis Line: 555-0100"
    program.institution.save()
    page = _screened_out(client, program).content.decode()
    main = page[page.index('<main id="main"') :]
    assert 'href="tel:5550100"' in main
    assert main.index("crisis-heading") < main.index("Your answers mean") < main.index(">Send</button>")
    assert "needs more than peer support" not in page
    assert "will contact you by" in page


def test_a_screened_out_yes_is_recorded_and_answered_even_over_the_rate_limit(client, program):
    program.institution.crisis_resources = "Lakeshore Crisis Line: 555-0100"
    program.institution.save()
    for _ in range(6):
        client.post(reverse("support:intake"), _details(program))
    assert SupportRequest.objects.count() == 5  # the follow-up details are limited...
    page = _screened_out(client, program).content.decode()
    assert SupportRequest.objects.filter(status="needs_referral").count() == 1  # ...a yes never is
    assert "Lakeshore Crisis Line: 555-0100" in page and "several requests" not in page


def test_limited_details_show_the_crisis_resources(client, program):
    program.institution.crisis_resources = "Lakeshore Crisis Line: 555-0100"
    program.institution.save()
    for _ in range(6):
        page = client.post(reverse("support:intake"), _details(program)).content.decode()
    assert "several requests" in page and 'href="tel:5550100"' in page


def test_the_received_page_says_when_and_offers_to_copy_and_email_the_link(client, program):
    page = client.post(
        reverse("support:intake"), _details(program, contact_method="email", contact_details="me@private.example")
    ).content.decode()
    assert "will contact you by" in page and re.search(r"by <strong>\w{3} \w{3} \d+, \d{4}, \d\d:\d\d \w+", page)
    assert 'class="text-break' in page and 'data-copy-link="status-link"' in page
    assert "/static/js/copy-link.js" in page
    assert "Email it to me" in page and "me@private.example, the address you gave" in page


def test_no_email_offer_without_an_email_address(client, program):
    page = client.post(reverse("support:intake"), _details(program)).content.decode()  # a phone number
    assert 'data-copy-link="status-link"' in page and "Email it to me" not in page


def _received(client, program) -> str:
    page = client.post(
        reverse("support:intake"), _details(program, contact_method="email", contact_details="me@private.example")
    ).content.decode()
    return _status_token(page)


def test_the_status_link_is_emailed_once_and_never_stored(client, program):
    token = _received(client, program)
    mail.outbox.clear()
    sent = client.post(reverse("support:send_link"), {"token": token}, follow=True)
    assert "emailed you the link to this page" in sent.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["me@private.example"]
    assert f"/support/status/{token}/" in mail.outbox[0].body
    again = client.post(reverse("support:send_link"), {"token": token}, follow=True)
    assert "already emailed you this link" in again.content.decode() and len(mail.outbox) == 1
    assert not Notification.objects.filter(body__contains=token).exists()
    assert SupportRequest.objects.get().status_token_hash == status_token_hash(token)


def test_an_unknown_token_sends_nothing(client, program):
    _received(client, program)
    mail.outbox.clear()
    assert client.post(reverse("support:send_link"), {"token": "x" * 43}).status_code == 404
    assert client.get(reverse("support:send_link")).status_code == 405
    assert mail.outbox == []


def test_sending_the_link_is_limited_per_address(client, program):
    tokens = [_received(client, program) for _ in range(4)]
    mail.outbox.clear()
    for token in tokens:
        last = client.post(reverse("support:send_link"), {"token": token}, follow=True)
    assert len(mail.outbox) == 3 and "several links" in last.content.decode()


def test_closing_asks_first_and_closes_only_when_confirmed(client, make_request, lead):
    request = make_request(screening={**NO, "substance": True})
    client.force_login(lead)
    url = reverse("support:close", args=[request.pk])
    asked = client.post(url, {"outcome": "referred"}).content.decode()
    assert "Yes, close the request" in asked and "Keep it open" in asked and 'name="confirm" value="1"' in asked
    assert "Referred to other resources" in asked
    request.refresh_from_db()
    assert request.status == "needs_referral"
    client.post(url, {"outcome": "referred", "confirm": "1"})
    request.refresh_from_db()
    assert (request.status, request.outcome) == ("closed", "referred")


def test_closing_without_an_outcome_shows_the_error_beside_the_field(client, make_request, lead):
    request = make_request(screening={**NO, "substance": True})
    client.force_login(lead)
    detail = client.get(reverse("support:detail", args=[request.pk])).content.decode()
    assert '<option value="" selected>Choose…</option>' in detail  # nothing preset
    page = client.post(reverse("support:close", args=[request.pk]), {"outcome": "", "confirm": "1"}).content.decode()
    assert re.search(r'id="id_outcome"[^>]*is-invalid|is-invalid[^>]*id="id_outcome"', page)
    assert "Choose how the request ended." in page
    request.refresh_from_db()
    assert request.status == "needs_referral"


def test_the_reason_is_not_preset(client, program):
    page = client.post(reverse("support:intake"), {**SCREEN_NO, "program": program.pk}).content.decode()
    assert '<option value="" selected>Choose…</option>' in page
    refused = client.post(reverse("support:intake"), _details(program, reason="")).content.decode()
    assert "Choose what it is about" in refused and not SupportRequest.objects.exists()
    assert "It happened on nights." in refused  # what was typed is kept


def test_the_leads_page_shows_words_not_codes(client, make_request, lead):
    request = make_request(screening={**NO, "self_harm": True})
    token = request.status_token
    client.get(reverse("support:status", args=[token]))
    client.force_login(lead)
    page = client.get(reverse("support:detail", args=[request.pk])).content.decode()
    assert "Thoughts of harming themselves" in page and "opened the status page" in page
    assert "self_harm" not in page and "status_view" not in page


def test_the_status_page_says_when_to_expect_contact_and_links_the_numbers(client, program, make_request):
    program.institution.crisis_resources = "Lakeshore Crisis Line: 555-0100"
    program.institution.save()
    request = make_request()
    page = client.get(reverse("support:status", args=[request.status_token])).content.decode()
    assert "will contact you by" in page and 'href="tel:5550100"' in page


def test_a_refused_note_keeps_its_text_beside_the_error(client, program, make_request, lead):
    program.support_settings.notes_allowed = True
    program.support_settings.save()
    request = make_request(screening={**NO, "substance": True})
    client.force_login(lead)
    page = client.post(reverse("support:note", args=[request.pk]), {"text": "Called twice. " * 80}).content.decode()
    assert "Called twice." in page and "Write a short note (1,000 characters at most)." in page
    assert "is-invalid" in page and not request.notes.exists()
    refused = client.post(reverse("support:referral", args=[request.pk]), {"resource": ""}).content.decode()
    assert "Choose a resource." in refused and not request.referrals.exists()


def test_a_screened_out_requester_reads_their_status_in_their_own_terms(client, make_request):
    request = make_request(screening={**NO, "self_harm": True})
    page = client.get(reverse("support:status", args=[request.status_token])).content.decode()
    assert "Status: <strong>With a support lead</strong>" in page and "screened out" not in page
    assert "A support lead" in page and "will contact you by" in page


def test_no_link_is_sent_to_something_that_is_not_an_email_address(client, program):
    page = client.post(
        reverse("support:intake"), _details(program, contact_method="email", contact_details="call me after 6")
    ).content.decode()
    mail.outbox.clear()
    refused = client.post(reverse("support:send_link"), {"token": _status_token(page)}, follow=True)
    assert "no email address for this request" in refused.content.decode() and mail.outbox == []
