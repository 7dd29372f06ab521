import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peers.models import Notification, TrainingProgram
from peers.testing.queries import assert_fixed_queries
from support_requests import selectors, services
from support_requests.forms import RequestForm, ScreeningForm
from support_requests.models import SupportRequest, status_token_hash
from support_requests.tests.conftest import NO

pytestmark = pytest.mark.django_db

SCREEN_NO = {"step": "screening", **{k: "no" for k in NO}}


def _details(for_program, **overrides):
    return {
        "step": "details",
        "program": for_program.pk,
        **{k: "no" for k in NO},
        "reason": "adverse_event",
        "description": "It happened on nights.",
        "contact_method": "phone",
        "contact_details": "555-0133",
        "urgency": "this_week",
        **overrides,
    }


def _status_token(page: str) -> str:
    return re.search(r'href="/support/status/([^/"]+)/"', page).group(1)


def test_intake_without_an_account_gives_a_reference_and_a_private_status_link(client, program, lead):
    step_one = client.post(reverse("support:intake"), {**SCREEN_NO, "program": program.pk})
    assert "Your request" in step_one.content.decode()
    done = client.post(reverse("support:intake"), _details(program))
    request = SupportRequest.objects.get()
    page = done.content.decode()
    assert request.reference in page and request.status_token_hash == status_token_hash(_status_token(page))
    assert (request.requester, request.status, request.description) == (None, "new", "It happened on nights.")
    assert Notification.objects.filter(recipient=lead, kind="support_new").exists()
    status = client.get(reverse("support:status", args=[_status_token(page)])).content.decode()
    assert "Waiting to be matched" in status


def test_any_yes_in_screening_shows_crisis_resources_at_once_and_goes_to_the_leads(client, program, lead):
    program.institution.crisis_resources = "Lakeshore Crisis Line: 555-0100"
    program.institution.save()
    response = client.post(reverse("support:intake"), {**SCREEN_NO, "program": program.pk, "self_harm": "yes"})
    page = response.content.decode()
    assert "Lakeshore Crisis Line: 555-0100" in page
    request = SupportRequest.objects.get()
    assert request.status == "needs_referral" and request.reference in page
    assert Notification.objects.filter(recipient=lead, subject__contains="needs referral").exists()
    client.post(
        reverse("support:status", args=[_status_token(page)]),
        {"contact_method": "email", "contact_details": "later@private.example"},
    )
    request.refresh_from_db()
    assert request.contact_details == "later@private.example"


def test_signed_in_trainee_is_the_requester(client, program, trainee):
    client.force_login(trainee)
    client.post(reverse("support:intake"), _details(program))
    assert SupportRequest.objects.get().requester == trainee


def test_the_honeypot_keeps_nothing(client, program):
    response = client.post(reverse("support:intake"), _details(program, website="http://spam.example"))
    assert response.status_code == 200 and not SupportRequest.objects.exists()


def test_anonymous_intake_is_rate_limited_with_a_kind_message(client, program):
    for _ in range(5):
        client.post(reverse("support:intake"), _details(program))
    response = client.post(reverse("support:intake"), _details(program))
    assert "several requests from this connection" in response.content.decode()
    assert SupportRequest.objects.count() == 5


def test_the_intake_is_csrf_protected(program):
    response = Client(enforce_csrf_checks=True).post(reverse("support:intake"), _details(program))
    assert response.status_code == 403 and not SupportRequest.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"reason": "aliens"},
        {"contact_details": ""},
        {"program": "999999"},
        {"self_harm": "maybe"},
        {"urgency": "yesterday"},
        {"description": "x" * 5000},
    ],
)
def test_bad_input_returns_the_form_with_a_message(client, program, bad):
    response = client.post(reverse("support:intake"), _details(program, **bad))
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode() or "is-invalid" in response.content.decode()
    assert not SupportRequest.objects.exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "reason",
                "description",
                "contact_method",
                "contact_details",
                "urgency",
                "specialty",
                "career_stage",
                "shared_identity",
                "language",
                "not_my_department",
                "department",
                "program",
                "self_harm",
                "step",
            ]
        ),
        st.text(max_size=300),
        max_size=8,
    )
)
def test_fuzzed_intake_never_500s_and_never_loses_a_valid_request(client, program, fields):
    cache.clear()
    before = SupportRequest.objects.count()
    data = {**_details(program), **fields}
    response = client.post(reverse("support:intake"), data)
    if any("\x00" in str(value) for value in data.values()):  # refused before the view (peers.middleware)
        assert response.status_code == 400 and SupportRequest.objects.count() == before
        return
    assert response.status_code == 200
    screening = ScreeningForm(data, programs=TrainingProgram.objects.all())
    details = RequestForm(data)
    if data.get("step") == "details" and screening.is_valid() and details.is_valid() and not data.get("website"):
        assert SupportRequest.objects.count() == before + 1  # a valid request is never lost
    elif data.get("step") == "details":
        assert SupportRequest.objects.count() == before  # an invalid one saves nothing


def test_supporter_works_a_request_through_to_closing(client, program, make_request, make_supporter):
    supporter = make_supporter("s@example.edu")
    request = make_request()
    services.request_offer(request=request, supporter=supporter)
    client.force_login(supporter)
    url = lambda action: reverse(f"support:{action}", args=[request.pk])  # noqa: E731
    client.post(url("accept"))
    client.post(url("contacted"))
    client.post(url("note"), {"text": "Spoke for 30 minutes."})
    client.post(url("referral"), {"resource": "physician_health"})
    asked = client.post(url("close"), {"outcome": "referred"})
    assert "Yes, close the request" in asked.content.decode()
    response = client.post(url("close"), {"outcome": "referred", "confirm": "1"}, follow=True)
    assert "Request closed." in response.content.decode()
    request.refresh_from_db()
    assert (request.status, request.outcome, request.first_contact_at is not None) == ("closed", "referred", True)
    assert request.notes.get().text == "Spoke for 30 minutes." and request.referrals.count() == 1


def test_lead_offers_to_a_suggested_supporter(client, program, make_request, make_supporter, lead):
    supporter = make_supporter("s@example.edu")
    request = make_request()
    client.force_login(lead)
    page = client.get(reverse("support:detail", args=[request.pk])).content.decode()
    assert supporter.get_full_name() in page and "free place" in page
    client.post(reverse("support:assign", args=[request.pk]), {"supporter": supporter.pk})
    request.refresh_from_db()
    assert (request.status, request.assigned_to) == ("offered", supporter)
    bad = client.post(reverse("support:assign", args=[request.pk]), {"supporter": "abc"}, follow=True)
    assert "Choose a supporter" in bad.content.decode() or "can't" in bad.content.decode()


def test_the_supporters_queue_runs_a_fixed_number_of_queries(client, program, make_request, make_supporter, lead):
    """session, user, memberships (nav + queue roles), the queue with programs and
    supporters, nav unread count."""
    supporter = make_supporter("s@example.edu", capacity=20)
    client.force_login(lead)
    make_request()

    def more():
        for _ in range(10):
            services.request_offer(request=make_request(), supporter=supporter)

    assert_fixed_queries(client, reverse("support:queue"), 6, grow=more)
    page = client.get(reverse("support:queue"))
    assert page.content.decode().count("PS-") == 11


def test_the_queue_goes_page_by_page_soonest_due_first(client, monkeypatch, program, make_request, lead):
    monkeypatch.setattr("support_requests.views.QUEUE_PAGE", 4)  # 50 in use; 4 keeps the rows few
    client.force_login(lead)
    made = [make_request() for _ in range(6)]
    due = [r.reference for r in sorted(made, key=lambda r: (r.first_contact_due_at, r.pk))]
    first = client.get(reverse("support:queue")).content.decode()
    second = client.get(reverse("support:queue"), {"page": "2"}).content.decode()
    assert [ref for ref in due if ref in first] == due[:4] and [ref for ref in due if ref in second] == due[4:]
    assert 'href="?page=2">Due later' in first and "Due sooner" not in first
    assert 'href="?page=1">Due sooner' in second and "Due later" not in second
    for bad in ("abc", "0", "-1", "99999999999", "²", "١"):  # anything else is the first page, never an error
        assert client.get(reverse("support:queue"), {"page": bad}).content.decode().count("PS-") == 4
    beyond = client.get(reverse("support:queue"), {"page": "9"}).content.decode()
    assert "No more requests" in beyond and "PS-" not in beyond


def test_a_supporter_keeps_their_own_profile_and_consent(client, make_supporter, make_request):
    supporter = make_supporter("s@example.edu")
    client.force_login(supporter)
    data = {
        "form": "profile",
        "specialty": "Surgery",
        "department": "Surgery",
        "career_stage": "resident",
        "languages": "English, French",
        "capacity": "2",
        "disclosed_identities": "parent",
        "is_active": "on",
    }
    refused = client.post(reverse("support:profile"), data)
    assert "Tick this to be matched" in refused.content.decode()
    client.post(reverse("support:profile"), {**data, "identity_consent": "on"})
    profile = supporter.supporter_profile
    profile.refresh_from_db()
    assert (profile.disclosed_identities, profile.languages, profile.capacity) == (["parent"], ["English", "French"], 2)
    assert profile.identity_consent_at is not None
    request = make_request(preferences={"shared_identity": "Parent"})
    assert "shares the identity asked for" in selectors.supporter_suggestions(request)[0].reasons
    client.post(reverse("support:profile"), {**data, "disclosed_identities": ""})  # withdrawing consent
    profile.refresh_from_db()
    assert (profile.disclosed_identities, profile.identity_consent_at) == ([], None)


def test_someone_without_a_supporter_profile_gets_404(client, trainee):
    client.force_login(trainee)
    assert client.get(reverse("support:profile")).status_code == 404


def test_the_honeypot_is_invisible_to_people(client, program):
    page = client.get(reverse("support:intake")).content.decode()
    assert 'class="peers-hp' in page or "peers-hp" in page
    assert 'aria-hidden="true"' in page


def test_screening_answers_read_back_exactly(client, make_request, lead):
    request = make_request(screening={**NO, "medical_advice": True})
    request = SupportRequest.objects.get(pk=request.pk)
    assert request.screened_yes == ["medical_advice"]
    client.force_login(lead)
    page = client.get(reverse("support:detail", args=[request.pk])).content.decode()
    assert "Medical advice about their own health" in page and "Thoughts of harming themselves" not in page
    assert "medical_advice" not in page and "self_harm" not in page  # words, never codes


def test_a_lead_records_first_contact_on_a_screened_out_request(client, make_request, lead):
    request = make_request(screening={**NO, "substance": True})
    client.force_login(lead)
    client.post(reverse("support:contacted", args=[request.pk]))
    request.refresh_from_db()
    assert request.first_contact_at is not None
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        assert services.first_contact_escalate() == 0


def test_an_odd_supporter_id_is_a_message_not_a_500(client, make_request, lead):
    request = make_request()
    client.force_login(lead)
    response = client.post(reverse("support:assign", args=[request.pk]), {"supporter": "²"}, follow=True)
    assert response.status_code == 200 and "Choose a supporter" in response.content.decode()
