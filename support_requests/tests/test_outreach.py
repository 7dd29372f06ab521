"""Outreach: a colleague asks that someone be contacted, a lead reaches out after an event,
the supporter sends the message and records how it went, the person says no thanks."""

import datetime
import html
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from peers.models import AccessLog, Notification, User
from peers.testing.concurrency import run_concurrently
from peers.testing.queries import assert_fixed_queries
from peers.tests.factories import UserFactory, give_totp
from support_requests import services
from support_requests.access import UNKNOWN_TOKENS_PER_HOUR
from support_requests.models import Outreach, SupportRequest, status_token_hash
from support_requests.services import outreach as outreach_services

pytestmark = pytest.mark.django_db

NAME = "Robin Referred"
CONTACT = "robin.referred@private.example"


@pytest.fixture
def referrer(program):
    return UserFactory(email="chief.resident@example.edu", name="Casey Chief")


@pytest.fixture
def refer(program, referrer):
    def make(**fields):
        data = {"name": NAME, "contact": CONTACT, "after_event": True, **fields}
        return outreach_services.outreach_create(program=program, asked_by=referrer, **data)

    return make


@pytest.fixture
def accepted(refer, make_supporter, lead):
    """A referral offered by the lead to a supporter, who accepted it."""
    outreach = refer()
    supporter = make_supporter("assigned@example.edu", specialty="")
    services.request_offer(request=outreach.request, supporter=supporter)
    services.request_accept(request=outreach.request, supporter=supporter)
    return outreach, supporter


def _send(client, outreach, supporter) -> str:
    """The supporter sends the outreach message; returns the no-thanks path in it."""
    client.force_login(supporter)
    client.post(reverse("support:outreach_send", args=[outreach.request.pk]))
    (email,) = mail.outbox
    return re.search(r"/support/no-thanks/\S+/", email.body).group(0)


def test_a_signed_in_colleague_refers_someone_giving_only_a_name_and_a_contact(client, program, referrer, lead):
    client.force_login(referrer)
    page = client.get(reverse("support:refer")).content.decode()
    assert "Please give no clinical details" in page
    response = client.post(
        reverse("support:refer"), {"program": program.pk, "name": NAME, "contact": CONTACT}, follow=True
    )
    assert "A trained peer supporter will reach out to them soon" in response.content.decode()
    outreach = Outreach.objects.select_related("request").get()
    request = outreach.request
    assert (outreach.name, request.contact_details, request.contact_method) == (NAME, CONTACT, "email")
    assert request.requester is None and not request.description and not outreach.may_name_referrer
    assert Notification.objects.filter(recipient=lead, kind="support_new", subject__contains=request.reference)


def test_one_colleague_asks_for_at_most_ten_people_a_day_and_the_eleventh_is_kept_on_the_page(
    client, program, referrer, lead, refer
):
    for n in range(outreach_services.REFERRALS_PER_DAY):
        refer(name=f"Person {n}", contact=f"person{n}@example.edu")
    client.force_login(referrer)
    data = {"program": program.pk, "name": "One More", "contact": "one.more@example.edu"}
    page = client.post(reverse("support:refer"), data).content.decode()
    assert "the most one person can" in page and 'value="one.more@example.edu"' in page
    assert Outreach.objects.count() == outreach_services.REFERRALS_PER_DAY
    with time_machine.travel(datetime.timedelta(days=1, minutes=1)):
        refer(name="One More", contact="one.more@example.edu")
    assert Outreach.objects.count() == outreach_services.REFERRALS_PER_DAY + 1


def test_the_name_and_contact_are_encrypted_at_rest(refer):
    outreach = refer()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name::text FROM support_requests_outreach")
        (name,) = cursor.fetchone()
        cursor.execute("SELECT contact_details::text FROM support_requests_supportrequest")
        (contact,) = cursor.fetchone()
    assert NAME not in name and CONTACT not in contact
    assert Outreach.objects.get(pk=outreach.pk).name == NAME


@pytest.mark.parametrize(
    "contact, message",
    [("robin@", "That email address doesn't look complete"), ("call me", "Give an email address or a phone number")],
)
def test_a_contact_that_is_neither_email_nor_phone_is_refused_on_the_page(client, program, referrer, contact, message):
    client.force_login(referrer)
    response = client.post(reverse("support:refer"), {"program": program.pk, "name": NAME, "contact": contact})
    assert response.status_code == 200 and message in html.unescape(response.content.decode())
    assert NAME in response.content.decode()  # what they typed stays
    assert not SupportRequest.objects.exists() and not Outreach.objects.exists()


def test_a_phone_number_is_kept_as_a_phone_contact(refer):
    assert refer(contact="+1 (604) 555-0134").request.contact_method == "phone"


def test_an_offered_supporter_sees_neither_name_nor_contact_until_they_accept(client, refer, make_supporter, lead):
    outreach = refer()
    supporter = make_supporter("offered@example.edu")
    services.request_offer(request=outreach.request, supporter=supporter)
    client.force_login(supporter)
    offered = client.get(reverse("support:detail", args=[outreach.request.pk])).content.decode()
    assert outreach.request.reference in offered and NAME not in offered and CONTACT not in offered
    services.request_accept(request=outreach.request, supporter=supporter)
    page = client.get(reverse("support:detail", args=[outreach.request.pk])).content.decode()
    assert NAME in page and CONTACT in page and "Send the outreach message" in page
    reads = AccessLog.objects.using("audit").filter(actor=supporter, object_id=str(outreach.request.pk))
    assert reads.filter(action="view", allowed=True).exists()


@pytest.fixture
def outsiders(accepted, referrer, make_supporter, coordinator):
    superuser = User.objects.create_superuser("root@example.edu", "long-enough-password")
    give_totp(superuser)
    return {
        "the referrer": referrer,
        "another supporter": make_supporter("other.supporter@example.edu"),
        "a coordinator": coordinator,
        "a superuser": superuser,
    }


@pytest.mark.parametrize("who", ["the referrer", "another supporter", "a coordinator", "a superuser"])
def test_nobody_but_the_lead_and_the_supporter_reads_the_name_or_records_the_outcome(client, accepted, outsiders, who):
    outreach, _ = accepted
    pk = outreach.request.pk
    client.force_login(outsiders[who])
    page = client.get(reverse("support:detail", args=[pk]))
    assert page.status_code == 404 and NAME not in page.content.decode()
    assert client.post(reverse("support:outreach_outcome", args=[pk]), {"outcome": "talked"}).status_code == 404
    assert client.post(reverse("support:outreach_send", args=[pk])).status_code == 404
    assert Outreach.objects.get().outcome == "" and mail.outbox == []
    assert AccessLog.objects.using("audit").filter(actor=outsiders[who], object_id=str(pk), allowed=False).exists()


def test_the_lead_reads_the_name_and_may_record_the_outcome(client, accepted, lead):
    outreach, _ = accepted
    client.force_login(lead)
    assert NAME in client.get(reverse("support:detail", args=[outreach.request.pk])).content.decode()
    client.post(reverse("support:outreach_outcome", args=[outreach.request.pk]), {"outcome": "resources_sent"})
    outreach.refresh_from_db()
    assert outreach.outcome == "resources_sent" and outreach.request.outcome == "referred"


def test_the_message_goes_to_the_contact_with_a_link_whose_token_is_kept_only_hashed(client, accepted, referrer):
    outreach, supporter = accepted
    path = _send(client, outreach, supporter)
    (email,) = mail.outbox
    assert email.to == [CONTACT] and email.reply_to == [supporter.email]
    assert f"Hello {NAME}" in email.body and "A colleague who cares about you asked" in email.body
    assert referrer.get_full_name() not in email.body  # not named: they did not tick the box
    token = path.rstrip("/").rsplit("/", 1)[1]
    outreach.refresh_from_db()
    assert outreach.decline_token_hash == status_token_hash(token)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM support_requests_outreach WHERE decline_token_hash = %s", [token])
        assert cursor.fetchone() == (0,)
    request = SupportRequest.objects.get()
    assert request.status == "contacted" and request.first_contact_at is not None


def test_the_referrer_is_named_only_when_they_agreed(client, refer, make_supporter, lead, referrer):
    outreach = refer(may_name_referrer=True)
    supporter = make_supporter("assigned@example.edu")
    services.request_offer(request=outreach.request, supporter=supporter)
    services.request_accept(request=outreach.request, supporter=supporter)
    _send(client, outreach, supporter)
    assert f"{referrer.get_full_name()} asked us to get in touch" in mail.outbox[0].body


def test_the_message_goes_out_once(client, accepted):
    outreach, supporter = accepted
    _send(client, outreach, supporter)
    response = client.post(reverse("support:outreach_send", args=[outreach.request.pk]), follow=True)
    assert "already gone out" in response.content.decode() and len(mail.outbox) == 1


def test_the_referrer_learns_only_that_outreach_happened(client, accepted, referrer):
    outreach, supporter = accepted
    _send(client, outreach, supporter)
    outreach_services.outreach_outcome_record(outreach=outreach, outcome="talked")
    (told,) = Notification.objects.filter(recipient=referrer)
    text = told.subject + told.body + told.body_html
    assert "has reached out to them" in text
    for secret in (NAME, CONTACT, outreach.request.reference, "talked", "We talked"):
        assert secret not in text
    client.force_login(referrer)
    page = client.get(reverse("support:refer")).content.decode()
    assert "a peer supporter has reached out" in page and NAME not in page and "We talked" not in page


def test_the_person_declines_with_one_press_and_a_second_press_changes_nothing(client, accepted, lead):
    outreach, supporter = accepted
    path = _send(client, outreach, supporter)
    client.logout()
    opened = client.get(path)  # a mail scanner opening the link changes nothing
    assert opened.status_code == 200 and "No thanks, please don't contact me" in opened.content.decode()
    assert Outreach.objects.get().declined_at is None
    first = client.post(path)
    assert first.status_code == 200 and "We won't contact you about this again" in first.content.decode()
    outreach.refresh_from_db()
    declined_at = outreach.declined_at
    assert outreach.outcome == "declined" and outreach.request.status == "closed"
    assert outreach.request.outcome == "declined"
    told = Notification.objects.filter(kind="support_outreach_declined")
    assert {n.recipient for n in told} == {supporter, lead}
    assert all(NAME not in n.body and CONTACT not in n.body for n in told)
    with time_machine.travel(datetime.timedelta(hours=2)):
        again = client.post(path)
    assert again.status_code == 200 and "We won't contact you about this again" in again.content.decode()
    outreach.refresh_from_db()
    assert outreach.declined_at == declined_at and told.count() == 2


def test_a_mail_apps_one_click_unsubscribe_declines_without_a_form(accepted):
    """RFC 8058: the email names the link as its List-Unsubscribe address, and a mail app's
    POST to it (no page, no CSRF token) declines."""
    outreach, supporter = accepted
    path = _send(Client(), outreach, supporter)
    (email,) = mail.outbox
    assert email.extra_headers["List-Unsubscribe"].endswith(path + ">")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "We won't contact you about this again" in response.content.decode()
    assert Outreach.objects.get().outcome == "declined"


def test_a_wrong_no_thanks_link_is_404_and_guessing_is_rate_limited(client, accepted):
    outreach, supporter = accepted
    _send(client, outreach, supporter)
    for _ in range(UNKNOWN_TOKENS_PER_HOUR):
        assert client.get(reverse("support:no_thanks", args=["not-a-token"])).status_code == 404
    limited = client.get(reverse("support:no_thanks", args=["not-a-token"]))
    assert limited.status_code == 429 and "Try the link in your email again in an hour" in limited.content.decode()
    assert Outreach.objects.get().declined_at is None


def test_the_outcome_is_recorded_once(accepted):
    outreach, _ = accepted
    outreach_services.outreach_outcome_record(outreach=outreach, outcome="no_reach")
    with pytest.raises(ValidationError, match="already recorded"):
        outreach_services.outreach_outcome_record(outreach=outreach, outcome="talked")
    outreach.refresh_from_db()
    assert outreach.outcome == "no_reach" and outreach.request.outcome == "no_contact"


@pytest.mark.django_db(transaction=True)
def test_two_outcomes_recorded_at_once_keep_exactly_one(accepted):
    outreach, _ = accepted

    def record(outcome):
        return lambda: outreach_services.outreach_outcome_record(
            outreach=Outreach.objects.get(pk=outreach.pk), outcome=outcome
        )

    results = run_concurrently(record("talked"), record("no_reach"))
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    outreach.refresh_from_db()
    request = SupportRequest.objects.get()
    assert outreach.outcome in ("talked", "no_reach")
    assert request.outcome == outreach_services.CLOSES_AS[outreach.outcome]


def test_a_lead_opens_outreach_for_several_people_after_one_event(client, program, lead):
    client.force_login(lead)
    people = "Ari One, ari@private.example\nBo Two, 604 555 0101\n"
    data = {"program": program.pk, "after_event": "on", "people": people}
    response = client.post(reverse("support:outreach_new"), data)
    assert response.status_code == 302
    opened = Outreach.objects.select_related("request").order_by("name")
    assert sorted(o.name for o in opened) == ["Ari One", "Bo Two"]
    assert len({o.request_id for o in opened}) == 2 and all(o.origin == "lead" and o.after_event for o in opened)


def test_one_bad_line_keeps_every_outreach_out_and_says_which(client, program, lead):
    client.force_login(lead)
    people = "Ari One, ari@private.example\nBo Two\n"
    response = client.post(reverse("support:outreach_new"), {"program": program.pk, "people": people})
    assert "Line 2 (Bo Two)" in response.content.decode() and "Ari One" in response.content.decode()
    assert not Outreach.objects.exists() and not SupportRequest.objects.exists()


def test_only_a_lead_opens_outreach_for_several(client, supporter):
    give_totp(supporter)
    client.force_login(supporter)
    assert client.get(reverse("support:outreach_new")).status_code == 404


def test_the_purge_empties_the_name(accepted, hours_later):
    outreach, _ = accepted
    outreach_services.outreach_outcome_record(outreach=outreach, outcome="talked")
    with time_machine.travel(hours_later(24 * 200)):
        services.requests_purge()
    assert Outreach.objects.get().name is None


def test_the_referrers_page_costs_the_same_queries_however_many_they_asked(client, refer, referrer):
    refer()
    client.force_login(referrer)
    # Queries: the session, the user, their memberships (the menu), the referrer's asks, the
    # unread notifications (the menu) and the programs on the form; no more as the asks grow.
    assert_fixed_queries(client, reverse("support:refer"), 6, grow=lambda: [refer() for _ in range(5)])
