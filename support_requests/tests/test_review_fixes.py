import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from peers.models import AccessLog, Notification
from support_requests import services
from support_requests.models import SupporterAway, SupportRequest
from support_requests.tests.conftest import NO

pytestmark = pytest.mark.django_db


def test_screening_answers_read_back_exactly(client, make_request, lead):
    request = make_request(screening={**NO, "medical_advice": True})
    request = SupportRequest.objects.get(pk=request.pk)
    assert request.screened_yes == ["medical_advice"]
    client.force_login(lead)
    page = client.get(reverse("support:detail", args=[request.pk])).content.decode()
    assert "medical_advice" in page and "self_harm" not in page


def test_an_offered_supporter_can_only_accept_or_decline(client, make_request, make_supporter, lead):
    supporter = make_supporter("s@example.edu")
    request = make_request()
    services.request_offer(request=request, supporter=supporter)
    client.force_login(supporter)
    assert client.post(reverse("support:act", args=[request.pk, "close"]), {"outcome": "declined"}).status_code == 404
    request.refresh_from_db()
    assert request.status == "offered"


def test_a_lead_records_first_contact_on_a_screened_out_request(client, make_request, lead):
    request = make_request(screening={**NO, "substance": True})
    client.force_login(lead)
    client.post(reverse("support:act", args=[request.pk, "contacted"]))
    request.refresh_from_db()
    assert request.first_contact_at is not None
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        assert services.first_contact_escalate() == 0


def test_an_urgent_request_is_not_held_up_behind_an_earlier_deadline(program, make_request, lead):
    slow = make_request()  # due at +24 h, overdue at +48 h
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=21)):
        urgent = make_request(urgency="today")  # due at +25 h, overdue at +29 h
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=30)):
        services.first_contact_escalate()
    urgent.refresh_from_db()
    slow.refresh_from_db()
    assert urgent.overdue_alerted_at is not None and slow.overdue_alerted_at is None


def test_past_and_future_absences_do_not_make_a_supporter_away_today(make_request, make_supporter):
    supporter = make_supporter("s@example.edu")
    today = timezone.localdate()
    SupporterAway.objects.create(
        profile=supporter.supporter_profile,
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today - datetime.timedelta(days=10),
    )
    SupporterAway.objects.create(
        profile=supporter.supporter_profile,
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=20),
    )
    assert [s.profile.user for s in services.supporter_suggestions(make_request())] == [supporter]


def test_nothing_can_be_added_to_a_closed_request(make_request, make_supporter):
    supporter = make_supporter("s@example.edu")
    request = make_request()
    services.request_close(request=request, outcome="declined")
    request.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        services.note_add(request=request, author=supporter, text="late note")
    with pytest.raises(ValidationError, match="closed"):
        services.referral_add(request=request, resource="crisis")


def test_the_requester_reading_their_own_request_is_not_named_in_the_log(client, make_request, trainee):
    request = make_request(requester=trainee)
    client.force_login(trainee)
    client.get(reverse("support:detail", args=[request.pk]))
    client.get(reverse("support:status", args=[request.status_token]))
    rows = list(AccessLog.objects.using("audit").filter(object_id=str(request.pk)).values_list("actor", "ip"))
    assert rows == [(None, None), (None, None)]


def test_an_odd_supporter_id_is_a_message_not_a_500(client, make_request, lead):
    request = make_request()
    client.force_login(lead)
    response = client.post(reverse("support:act", args=[request.pk, "assign"]), {"supporter": "²"}, follow=True)
    assert response.status_code == 200 and "Choose a supporter" in response.content.decode()


def test_a_program_without_a_support_lead_tells_its_coordinators(make_request, coordinator):
    request = make_request(screening={**NO, "self_harm": True})
    assert Notification.objects.filter(recipient=coordinator, subject__contains=request.reference).exists()


def test_the_honeypot_is_invisible_to_people(client, program):
    page = client.get(reverse("support:intake")).content.decode()
    assert 'class="peers-hp' in page or "peers-hp" in page
    assert 'aria-hidden="true"' in page


def test_purge_removes_who_and_where_from_history(make_request, make_supporter, trainee):
    import pghistory.models

    supporter = make_supporter("s@example.edu")
    with pghistory.context(user=trainee.pk, url="/support/"):
        request = make_request(requester=trainee)
    services.note_add(request=request, author=supporter, text="note")
    services.request_close(request=request, outcome="supported")
    contexts = set(
        SupportRequest.pgh_event_model.objects.filter(pgh_obj_id=request.pk).values_list("pgh_context_id", flat=True)
    ) - {None}
    assert contexts
    with time_machine.travel(timezone.now() + datetime.timedelta(days=200)):
        services.requests_purge()
    assert not pghistory.models.Context.objects.filter(pk__in=contexts).exists()
    assert SupportRequest.objects.filter(pk=request.pk, purged_at__isnull=False).exists()
