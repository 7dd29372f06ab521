"""Escalations wait for the end of the recipient's quiet hours, unless the request cannot
wait: asked for "today", or screened out (support_requests/notify.py)."""

import datetime

import pytest
import time_machine

from peers.models import Notification
from support_requests import notify

pytestmark = pytest.mark.django_db
NIGHT = datetime.datetime(2026, 12, 2, 4, 0, tzinfo=datetime.UTC)  # 23:00 in Toronto
MORNING = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.UTC)  # 07:00 in Toronto


@pytest.fixture
def sleeping_lead(lead):
    lead.time_zone = "America/Toronto"
    lead.quiet_from, lead.quiet_until = datetime.time(21), datetime.time(7)
    lead.save()
    return lead


def _due_at(kind, lead):
    return Notification.objects.get(kind=kind, recipient=lead).due_at


@time_machine.travel(NIGHT, tick=False)
def test_a_request_for_this_week_escalates_in_the_lead_s_morning(make_request, sleeping_lead):
    request = make_request(urgency="this_week")
    Notification.objects.all().delete()
    notify.support_due(request)
    notify.support_overdue(request)
    assert _due_at("support_due", sleeping_lead) == MORNING
    assert _due_at("support_overdue", sleeping_lead) == MORNING


@time_machine.travel(NIGHT, tick=False)
def test_a_request_for_today_escalates_at_once(make_request, sleeping_lead):
    request = make_request(urgency="today")
    Notification.objects.all().delete()
    notify.support_due(request)
    assert _due_at("support_due", sleeping_lead) == NIGHT


@time_machine.travel(NIGHT, tick=False)
def test_a_new_request_is_told_at_once_whatever_the_hour(make_request, sleeping_lead):
    make_request(urgency="this_week")
    assert _due_at("support_new", sleeping_lead) == NIGHT
