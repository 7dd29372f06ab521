"""From the status page, the requester adds a message (encrypted; read by the accepted
supporter and the leads, each read logged; never by a supporter only offered it), changes
how to be reached, withdraws (confirmed; the supporter and the lead are told), and after
closing gives anonymous feedback, counted only through the suppression engine."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from peers.models import AccessLog, Notification
from peers.testing.queries import assert_fixed_queries
from support_requests import feedback, services
from support_requests.models import RequesterMessage, SupportFeedback, SupportRequest
from support_requests.tests.test_status_token import _ask_for_support

pytestmark = pytest.mark.django_db

SECRET = "I keep thinking about the night of the code."


@pytest.fixture
def token(client, program, lead):
    return _ask_for_support(client, program)


def _status(token):
    return reverse("support:status", args=[token])


def _add_message(client, token, text=SECRET):
    return client.post(_status(token), {"action": "message", "text": text}, follow=True)


def test_a_message_is_encrypted_and_read_by_the_accepted_supporter_and_the_leads(client, token, lead, make_supporter):
    supporter = make_supporter("supporter@example.edu")
    request = SupportRequest.objects.get()
    services.request_offer(request=request, supporter=supporter)
    services.request_accept(request=request, supporter=supporter)
    page = _add_message(client, token).content.decode()
    assert "Your message is added" in page and SECRET in page
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM support_requests_requestermessage")
        assert SECRET not in cursor.fetchone()[0]  # ciphertext at rest
    told = Notification.objects.filter(kind="support_message")
    assert set(told.values_list("recipient", flat=True)) == {supporter.pk, lead.pk}
    assert all(SECRET not in n.body for n in told)
    for reader in (supporter, lead):
        client.force_login(reader)
        assert SECRET in client.get(reverse("support:detail", args=[request.pk])).content.decode()
    reads = AccessLog.objects.using("audit").filter(object_id=str(request.pk), action="view", allowed=True)
    assert set(reads.values_list("actor", flat=True)) == {supporter.pk, lead.pk}


def test_a_supporter_only_offered_the_request_never_reads_the_message(client, token, make_supporter):
    supporter = make_supporter("offered@example.edu")
    request = SupportRequest.objects.get()
    services.request_offer(request=request, supporter=supporter)
    _add_message(client, token)
    assert not Notification.objects.filter(kind="support_message", recipient=supporter).exists()
    client.force_login(supporter)
    offer = client.get(reverse("support:detail", args=[request.pk])).content.decode()
    assert "Offered to you" in offer and SECRET not in offer
    for url in (reverse("support:mine_detail", args=[request.pk]), reverse("support:queue"), reverse("inbox")):
        response = client.get(url)
        assert SECRET not in response.content.decode()
    assert client.get(reverse("support:mine_detail", args=[request.pk])).status_code == 404
    assert AccessLog.objects.using("audit").filter(actor=supporter, object_id=str(request.pk), allowed=False).exists()


def test_an_empty_or_long_message_is_refused_with_what_was_typed_kept(client, token):
    empty = _add_message(client, token, "  ").content.decode()
    assert "Write your message first." in empty
    long = _add_message(client, token, "x" * 2100).content.decode()
    assert "Keep your message to 2,000 characters." in long and "x" * 2100 in long
    assert not RequesterMessage.objects.exists()


def test_the_requester_changes_how_to_be_reached(client, token):
    client.post(_status(token), {"action": "contact", "contact_method": "email", "contact_details": "new@x.example"})
    assert SupportRequest.objects.get().contact_details == "new@x.example"


def test_withdrawing_asks_first_then_closes_and_tells_the_supporter_and_the_lead(client, token, lead, make_supporter):
    supporter = make_supporter("offered@example.edu")
    request = SupportRequest.objects.get()
    services.request_offer(request=request, supporter=supporter)
    asked = client.post(_status(token), {"action": "withdraw"}).content.decode()
    assert "Yes, withdraw it" in asked and "Keep my request" in asked
    assert SupportRequest.objects.get().status == "offered"
    done = client.post(_status(token), {"action": "withdraw", "confirm": "1"}, follow=True).content.decode()
    assert "Your request is withdrawn" in done
    request.refresh_from_db()
    assert (request.status, request.outcome, request.offer_expires_at) == ("closed", "withdrawn", None)
    told = Notification.objects.filter(kind="support_withdrawn")
    assert set(told.values_list("recipient", flat=True)) == {supporter.pk, lead.pk}
    assert "the offer to you has ended" in told.get(recipient=supporter).body
    client.force_login(supporter)
    assert request.reference not in client.get(reverse("support:queue")).content.decode()
    assert services.request_withdraw(request=request) is False  # again: nothing changes, nobody told twice
    assert told.count() == 2


def test_feedback_is_given_once_after_closing_and_kept_apart_from_the_request(client, token, program):
    request = SupportRequest.objects.get()
    assert "Did peer support help?" not in client.get(_status(token)).content.decode()  # still open
    services.request_close(request=request, outcome="supported")
    assert "Did peer support help?" in client.get(_status(token)).content.decode()
    client.post(_status(token), {"action": "feedback", "helpful": "3", "comment": "It helped a lot."})
    again = client.post(_status(token), {"action": "feedback", "helpful": "1"}, follow=True).content.decode()
    assert "Thank you for your feedback." in again
    row = SupportFeedback.objects.get()
    assert (row.helpful, row.comment, row.month.day) == (3, "It helped a lot.", 1)
    assert not [f.name for f in SupportFeedback._meta.fields if f.is_relation and f.name != "program"]
    assert SupportRequest.objects.get().feedback_given


def test_feedback_counts_leave_only_suppressed_and_only_for_closed_months(program):
    month = timezone.now().date().replace(day=1)
    for helpful in [3] * 6 + [1] * 2:
        SupportFeedback.objects.create(program=program, month=month, helpful=helpful, comment="Kind people.")
    assert feedback.feedback_report(program) == []  # the month is still open
    with time_machine.travel(timezone.now() + datetime.timedelta(days=40)):
        (row,) = feedback.feedback_report(program)
    answers = dict(row["answers"])
    # Two "not really" read "<5"; the six "yes" would give them away beside the total, so they hide too.
    assert answers == {"Not really": "<5", "Somewhat": "0", "Yes": "suppressed"} and row["total"] == "8"
    assert row["comments"] == ["Kind people."] * 8


def test_my_requests_lists_only_my_own_in_a_fixed_number_of_queries(client, trainee, make_request, program, lead):
    mine = make_request(requester=trainee)
    someone_elses = make_request()
    client.force_login(lead)  # a lead reads the request on its own page, never on the requester's
    assert client.get(reverse("support:mine_detail", args=[mine.pk])).status_code == 404
    denied = AccessLog.objects.using("audit").get(actor=lead, object_id=str(mine.pk))
    assert (denied.action, denied.allowed) == ("status_view", False)
    client.force_login(trainee)
    page = client.get(reverse("support:mine")).content.decode()
    assert mine.reference in page and someone_elses.reference not in page
    assert client.get(reverse("support:mine_detail", args=[someone_elses.pk])).status_code == 404
    own = client.get(reverse("support:mine_detail", args=[mine.pk])).content.decode()
    assert "Withdraw my request" in own and "Add to your request" in own
    # session, user, memberships (nav), unread notifications (nav), requests
    assert_fixed_queries(client, reverse("support:mine"), 5, grow=lambda: make_request(requester=trainee))
    assert len(re.findall(r"PS-\w{6}", client.get(reverse("support:mine")).content.decode())) == 2
    log = AccessLog.objects.using("audit").filter(object_id=str(mine.pk), action="status_view").exclude(actor=lead)
    assert set(log.values_list("actor", "ip")) == {(None, None)}  # never a log of who asked for help
