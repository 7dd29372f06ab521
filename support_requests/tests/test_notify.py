"""Every support notification, rendered through its notify function for a recipient whose
zone is neither the program's nor the server's: times in the recipient's zone, with the
zone named, and never a word of the request itself."""

import datetime

import pytest
from django.utils import timezone

from peers import registry
from peers.models import Notification
from peers.tests.factories import UserFactory
from peers.tests.test_notification_templates import KINDS
from support_requests import notify, services
from support_requests.models import RequesterMessage, SupporterAway, SupportRequest
from support_requests.tests.conftest import NO

pytestmark = pytest.mark.django_db

TOKYO = "Asia/Tokyo"  # the program and the server are in America/Toronto
DESCRIPTION = "I froze during the code and keep replaying it."
CONTACT = "pager-5512@private.example"
DEPARTMENT = "Paediatric Cardiology"
DEADLINE = datetime.datetime(2026, 12, 8, 14, 30, tzinfo=datetime.UTC)
DEADLINE_IN_TOKYO = "Tue Dec 8, 2026, 23:30 JST"
NOTIFY = sorted(name for name in dir(notify) if name.startswith("support_"))


@pytest.fixture
def request_in_program(program, make_request, lead):
    lead.time_zone = TOKYO
    lead.save()
    requester = UserFactory(email="requester@example.edu", name="Quentin Requester")
    request = make_request(
        requester=requester, description=DESCRIPTION, contact_details=CONTACT, requester_department=DEPARTMENT
    )
    request.first_contact_due_at = request.offer_expires_at = DEADLINE
    Notification.objects.all().delete()
    return request


@pytest.fixture
def supporter(make_supporter):
    supporter = make_supporter("tokyo.supporter@example.edu")
    supporter.time_zone = TOKYO
    supporter.save()
    return supporter


def _send(kind: str, request: SupportRequest, supporter) -> None:
    with timezone.override("America/Vancouver"):  # whatever zone the sender is in
        if kind == "support_offer":
            notify.support_offer(request, supporter)
        elif kind == "support_message":
            notify.support_message(request, RequesterMessage.objects.create(request=request, text=DESCRIPTION))
        elif kind == "support_withdrawn":
            notify.support_withdrawn(request, supporter)
        elif kind == "support_handover":
            away = SupporterAway.objects.create(
                profile=supporter.supporter_profile, starts_on=datetime.date(2026, 12, 7), ends_on=DEADLINE.date()
            )
            notify.support_handover(request.program, [request], away)
        else:
            getattr(notify, kind)(request)


def test_each_kind_has_its_templates_and_is_confidential():
    assert NOTIFY == [
        "support_closed_uncontacted",
        "support_due",
        "support_handover",
        "support_message",
        "support_new",
        "support_offer",
        "support_overdue",
        "support_unmatched",
        "support_withdrawn",
    ]
    assert set(NOTIFY) <= set(KINDS)
    assert "support_" in registry.confidential_notification_prefixes


@pytest.mark.parametrize("kind", NOTIFY)
def test_each_kind_names_the_request_by_reference_only(kind, request_in_program, supporter):
    request = request_in_program
    _send(kind, request, supporter)
    sent = Notification.objects.filter(kind=kind)
    assert sent.exists()
    for notification in sent:
        assert notification.recipient.time_zone == TOKYO
        assert request.reference in notification.subject + notification.body
        # A withdrawn request has left the queue, and an offered supporter may no longer open it;
        # a handover is of several requests.
        assert notification.link == (
            "/support/queue/" if kind in ("support_withdrawn", "support_handover") else f"/support/queue/{request.pk}/"
        )
        content = notification.subject + notification.body + notification.body_html
        for secret in (DESCRIPTION, "froze", CONTACT, "pager-5512", DEPARTMENT, "Quentin", "Requester"):
            assert secret not in content


@pytest.mark.parametrize("kind", ["support_offer", "support_due"])
def test_a_deadline_reads_in_the_recipients_zone_with_the_zone_named(kind, request_in_program, supporter):
    _send(kind, request_in_program, supporter)
    notification = Notification.objects.get(kind=kind)
    assert DEADLINE_IN_TOKYO in notification.body and DEADLINE_IN_TOKYO in notification.body_html
    assert TOKYO in notification.body


def test_the_dedupe_keys_are_the_ones_the_app_always_used(request_in_program, supporter, lead, coordinator):
    request = request_in_program
    for kind in NOTIFY:
        _send(kind, request, supporter)
    keys = set(Notification.objects.values_list("dedupe_key", flat=True))
    assert f"support-offer:{request.pk}:{supporter.pk}" in keys
    assert {f"support-overdue:{request.pk}:{lead.pk}", f"support-overdue:{request.pk}:{coordinator.pk}"} <= keys
    for kind in ("support_new", "support_unmatched", "support_closed_uncontacted", "support_due"):
        assert f"{kind}:{request.pk}:{lead.pk}:0" in keys


def test_the_words_say_what_happened_and_what_to_do(request_in_program, supporter):
    request = request_in_program
    for kind in NOTIFY:
        _send(kind, request, supporter)
    offer = Notification.objects.get(kind="support_offer")
    assert offer.subject == "A peer support request for you"
    assert f"Request {request.reference} is offered to you. Please accept or decline it on PEERS by" in offer.body
    new = Notification.objects.get(kind="support_new")
    assert new.subject == f"Support request {request.reference}: new"
    withdrawn = Notification.objects.get(kind="support_withdrawn", recipient=supporter)
    assert withdrawn.subject == f"Support request {request.reference} was withdrawn"
    assert "the offer to you has ended" in withdrawn.body  # offered, never accepted
    message = Notification.objects.get(kind="support_message")
    assert "added a message on their status page. Open the request to read it." in message.body
    handover = Notification.objects.filter(kind="support_handover").first()
    assert handover.subject == f"{supporter.get_full_name()} is away: 1 support request to reassign"
    assert f"back in your queue, waiting for another supporter: {request.reference}." in handover.body
    assert "Please offer each one to someone else." in handover.body
    overdue = Notification.objects.filter(kind="support_overdue").first()
    assert overdue.subject == f"Support request {request.reference} is overdue"
    assert "no first contact for twice its target time" in overdue.body


def test_a_screened_out_request_is_announced_as_needing_referral(make_request, lead):
    request = make_request(screening={**NO, "self_harm": True})
    told = Notification.objects.get(kind="support_new", recipient=lead)
    assert told.subject == f"Support request {request.reference}: needs referral"
    assert "self_harm" not in told.body and "harming" not in told.body


def test_a_program_without_a_support_lead_tells_its_coordinators(make_request, coordinator):
    request = make_request(screening={**NO, "self_harm": True})
    assert Notification.objects.filter(recipient=coordinator, subject__contains=request.reference).exists()


def test_a_request_closed_before_first_contact_is_told_to_the_leads(make_request, lead):
    request = make_request()
    services.request_close(request=request, outcome="no_contact")
    told = Notification.objects.get(kind="support_closed_uncontacted", recipient=lead)
    assert told.subject == f"Support request {request.reference}: closed without a first contact"
