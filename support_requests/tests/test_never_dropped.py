"""Never dropped: every way a request comes in tells at least one person, in a program with
a lead, with only coordinators, and with neither (the institution's office is told, asked to
appoint a lead, and shown nothing of the request). support_requests/receivers.py holds the rule."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from peers.models import Notification, Role
from peers.tests.factories import give_totp, office_administrators
from support_requests import notify, selectors, services
from support_requests.models import SupportRequest
from support_requests.tests.conftest import NO

pytestmark = pytest.mark.django_db

DESCRIPTION = "It happened on nights."
CONTACT = "555-0133"
TOKYO = "Asia/Tokyo"


def _details(program):
    return {
        "step": "details",
        "program": program.pk,
        **{k: "no" for k in NO},
        "reason": "adverse_event",
        "description": DESCRIPTION,
        "contact_method": "phone",
        "contact_details": CONTACT,
        "urgency": "this_week",
    }


def _screened_out(program):
    return {"step": "screening", "program": program.pk, **{k: "no" for k in NO}, "self_harm": "yes"}


PATHS = {
    "signed-in intake": (True, _details),
    "anonymous intake": (False, _details),
    "signed-in, screened out": (True, _screened_out),
    "anonymous, screened out": (False, _screened_out),
}


REFERRED = "Robin Referred"
REFERRED_CONTACT = "robin.referred@private.example"


def _referral(client, program, trainee):
    """A colleague asks that someone be contacted (support_requests.views_outreach)."""
    client.force_login(trainee)
    data = {"program": program.pk, "name": REFERRED, "contact": REFERRED_CONTACT, "after_event": "on"}
    return client.post(reverse("support:refer"), data)


def _lead_outreach(client, program, lead):
    """A lead reaches out to several people after one event: each its own request."""
    client.force_login(lead)
    people = f"{REFERRED}, {REFERRED_CONTACT}\nSam Second, 604 555 0199"
    return client.post(reverse("support:outreach_new"), {"program": program.pk, "people": people})


@pytest.fixture(params=["a lead", "only coordinators", "no lead and no coordinator"])
def world(request, program):
    """Who the program has, and who must be told of a new request in it."""
    office = set(office_administrators())
    if request.param == "a lead":
        return {request.getfixturevalue("lead")}
    if request.param == "only coordinators":
        return {request.getfixturevalue("coordinator")} | office
    return office


@pytest.mark.parametrize("path", sorted(PATHS))
def test_every_way_a_request_comes_in_tells_someone(client, program, trainee, world, path):
    signed_in, data = PATHS[path]
    if signed_in:
        client.force_login(trainee)
    response = client.post(reverse("support:intake"), data(program))
    assert response.status_code == 200
    request = SupportRequest.objects.get()
    told = Notification.objects.filter(subject__contains=request.reference)
    assert {n.recipient for n in told} == world
    for notification in told:
        content = notification.subject + notification.body + notification.body_html
        assert DESCRIPTION not in content and CONTACT not in content and "self_harm" not in content


def test_the_office_is_asked_to_appoint_a_lead_and_linked_to_the_grant_form(program, make_request):
    office = office_administrators()
    request = make_request(screening={**NO, "self_harm": True})
    notice = Notification.objects.get(recipient=office[0], kind="support_no_lead")
    assert notice.subject == f"Support request {request.reference}: {program.name} has no support lead"
    assert "was screened out at intake: it needs referral to other care, soon." in notice.body
    assert f"please propose a support lead for {program.name}" in notice.body
    assert "Propose a support lead" in notice.body_html
    assert notice.link == f"{reverse('admin:peers_rolegrant_add')}?program={program.pk}&role={Role.SUPPORT_LEAD}"
    assert "Night shifts" not in notice.body + notice.body_html


def test_a_program_with_a_lead_does_not_trouble_the_office(make_request, lead):
    make_request()
    assert not Notification.objects.filter(kind="support_no_lead").exists()
    assert Notification.objects.filter(kind="support_new", recipient=lead).exists()


def test_the_offices_deadline_reads_in_its_own_zone(make_request, program):
    office = office_administrators()[0]
    office.time_zone = TOKYO
    office.save()
    request = make_request()
    request.first_contact_due_at = datetime.datetime(2026, 12, 8, 14, 30, tzinfo=datetime.UTC)
    with timezone.override("America/Vancouver"):
        notify.support_due(request)
    notice = Notification.objects.get(recipient=office, dedupe_key__startswith="support_no_lead:support_due:")
    assert "which was due by Tue Dec 8, 2026, 23:30 JST" in notice.body


def test_without_a_lead_the_escalations_reach_the_office_too(make_request, hours_later):
    office = set(office_administrators())
    request = make_request()
    with time_machine.travel(hours_later(49)):
        services.first_contact_escalate()
    for step in ("support_due", "support_overdue"):
        told = Notification.objects.filter(dedupe_key__startswith=f"support_no_lead:{step}:{request.pk}:")
        assert {n.recipient for n in told} == office


def test_a_lead_appointed_later_finds_the_request_in_their_queue(make_request, request):
    support_request = make_request()
    lead = request.getfixturevalue("lead")  # appointed after the request came in
    assert support_request in selectors.queue_for(lead)


def test_the_offices_link_opens_the_grant_form_with_the_program_and_role_chosen(client, program, make_request):
    office = office_administrators()[0]
    give_totp(office)
    make_request()
    notice = Notification.objects.get(recipient=office, kind="support_no_lead")
    client.force_login(office)
    form = client.get(notice.link).context["adminform"].form
    assert (form.initial["program"], form.initial["role"]) == (str(program.pk), Role.SUPPORT_LEAD)


def _told_of_each_request_only_by_reference(expected: set):
    requests = list(SupportRequest.objects.all())
    assert requests
    for request in requests:
        told = Notification.objects.filter(subject__contains=request.reference)
        assert {n.recipient for n in told} == expected
        for notification in told:
            content = notification.subject + notification.body + notification.body_html
            assert REFERRED not in content and REFERRED_CONTACT not in content


def test_a_colleagues_referral_tells_someone(client, program, trainee, world):
    assert _referral(client, program, trainee).status_code == 302
    _told_of_each_request_only_by_reference(world)


def test_a_leads_outreach_after_an_event_tells_someone_of_each(client, program, lead):
    # Only a lead opens these, so the program has one; each request is told on its own.
    assert _lead_outreach(client, program, lead).status_code == 302
    assert SupportRequest.objects.count() == 2
    _told_of_each_request_only_by_reference({lead})
