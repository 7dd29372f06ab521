"""A supporter who goes away hands over their open requests (services.handover): the
leads are told, the requests wait for another supporter, nothing is lost, and the
requester hears nothing of the absence."""

import datetime
import time

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from peers.models import Notification
from peers.testing.concurrency import run_concurrently
from support_requests import services
from support_requests.models import SupporterAway, SupportRequest
from support_requests.services import handover

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def working(make_request, make_supporter):
    """A supporter holding three requests: one offered, one accepted, one in contact."""
    supporter = make_supporter("away.supporter@example.edu", capacity=5)
    requests = [make_request(), make_request(), make_request()]
    for request in requests:
        services.request_offer(request=request, supporter=supporter)
    services.request_accept(request=requests[1], supporter=supporter)
    services.request_accept(request=requests[2], supporter=supporter)
    services.request_record_contact(request=requests[2])
    services.note_add(request=requests[2], author=supporter, text="Talked on Monday; will call again.")
    return supporter, requests


def _statuses(requests):
    return [SupportRequest.objects.get(pk=r.pk).status for r in requests]


def test_an_away_period_from_today_hands_every_open_request_to_the_leads(working, lead):
    supporter, requests = working
    today = timezone.localdate()
    services.supporter_away_add(profile=supporter.supporter_profile, starts_on=today, ends_on=today + 7 * DAY)
    assert _statuses(requests) == ["new", "new", "new"]
    assert not SupportRequest.objects.filter(assigned_to=supporter).exists()
    told = Notification.objects.get(kind="support_handover", recipient=lead)
    assert all(r.reference in told.body for r in requests)
    contacted = SupportRequest.objects.get(pk=requests[2].pk)
    assert contacted.first_contact_at is not None and contacted.notes.count() == 1  # nothing lost


def test_the_next_supporter_takes_over_where_the_first_left_off(working, lead, make_supporter):
    supporter, requests = working
    today = timezone.localdate()
    services.supporter_away_add(profile=supporter.supporter_profile, starts_on=today, ends_on=today + DAY)
    other = make_supporter("next.supporter@example.edu")
    services.request_offer(request=requests[2], supporter=other)
    services.request_accept(request=requests[2], supporter=other)
    assert _statuses(requests[2:]) == ["contacted"]  # its first contact stays made


def test_a_later_away_period_hands_over_when_it_begins(working, lead):
    supporter, requests = working
    start = timezone.localdate() + 3 * DAY
    services.supporter_away_add(profile=supporter.supporter_profile, starts_on=start, ends_on=start + DAY)
    assert services.aways_hand_over() == 0
    assert _statuses(requests) == ["offered", "assigned", "contacted"]
    with time_machine.travel(timezone.now() + 3 * DAY, tick=False):
        assert services.aways_hand_over() == 1
        assert services.aways_hand_over() == 0  # once
    assert _statuses(requests) == ["new", "new", "new"]
    assert Notification.objects.filter(kind="support_handover", recipient=lead).count() == 1


def test_an_away_period_entered_by_a_lead_in_the_admin_hands_over_with_the_sweep(working, lead):
    supporter, requests = working
    SupporterAway.objects.create(
        profile=supporter.supporter_profile, starts_on=timezone.localdate(), ends_on=timezone.localdate()
    )
    assert services.aways_hand_over() == 1
    assert _statuses(requests) == ["new", "new", "new"]


def test_the_requester_is_not_told_of_the_supporter_s_absence(client, make_request, make_supporter, lead):
    supporter = make_supporter("away.supporter@example.edu")
    request = make_request()
    token = request.status_token
    services.request_offer(request=request, supporter=supporter)
    services.request_accept(request=request, supporter=supporter)
    before = set(Notification.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    services.supporter_away_add(profile=supporter.supporter_profile, starts_on=today, ends_on=today + DAY)
    new = Notification.objects.exclude(pk__in=before)
    assert set(new.values_list("kind", flat=True)) == {"support_handover"}
    assert set(new.values_list("recipient", flat=True)) == {lead.pk}
    page = client.get(reverse("support:status", args=[token])).content.decode().lower()
    assert "away" not in page and supporter.get_full_name().lower() not in page


@pytest.mark.django_db(transaction=True)
def test_two_handover_sweeps_at_once_hand_over_once(working, lead, monkeypatch):
    supporter, requests = working
    start = timezone.localdate() + DAY
    SupporterAway.objects.create(profile=supporter.supporter_profile, starts_on=start, ends_on=start + DAY)
    original = handover._hand_over

    def slow(away):  # hold the claim long enough for the other sweep to look
        original(away)
        time.sleep(0.5)

    monkeypatch.setattr(handover, "_hand_over", slow)
    with time_machine.travel(timezone.now() + DAY, tick=True):
        done = run_concurrently(services.aways_hand_over, services.aways_hand_over)
    assert sorted(done) == [0, 1]
    assert _statuses(requests) == ["new", "new", "new"]
    assert Notification.objects.filter(kind="support_handover", recipient=lead).count() == 1
