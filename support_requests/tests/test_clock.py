"""First-contact clocks that count only within a program's support hours, pause while the
request waits on the requester, and start again by themselves (services.clock)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from peers.models import Notification
from support_requests import services
from support_requests.models import SupportHoliday, SupportHours, SupportRequest
from support_requests.tests.conftest import NO

pytestmark = pytest.mark.django_db
TORONTO = zoneinfo.ZoneInfo("America/Toronto")
FRIDAY_EVENING = datetime.datetime(2026, 12, 4, 19, 0, tzinfo=TORONTO)  # after the office closed
HOUR = datetime.timedelta(hours=1)


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TORONTO)


@pytest.fixture
def weekday_hours(program):
    """Support 09:00 to 17:00 Toronto time, Monday to Friday; first contact within 4 working hours."""
    for day in range(5):
        SupportHours.objects.create(program=program, weekday=day, starts_at=datetime.time(9), ends_at=datetime.time(17))
    program.support_settings.first_response_hours = 4
    program.support_settings.save()
    return program


def _escalated(lead, kind="support_due") -> bool:
    return Notification.objects.filter(recipient=lead, kind=kind).exists()


def test_a_request_made_friday_evening_is_not_escalated_over_the_weekend(make_request, weekday_hours, lead):
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        request = make_request()
    assert request.first_contact_due_at == local(2026, 12, 7, 13)  # within Monday's hours
    assert request.overdue_at == local(2026, 12, 7, 17)  # 8 working hours: all of Monday
    for moment in (local(2026, 12, 5, 9), local(2026, 12, 5, 23), local(2026, 12, 6, 12), local(2026, 12, 7, 12)):
        with time_machine.travel(moment, tick=False):
            assert services.first_contact_escalate() == 0
    assert not _escalated(lead)
    with time_machine.travel(local(2026, 12, 7, 13, 1), tick=False):
        assert services.first_contact_escalate() == 1
    assert _escalated(lead)


@pytest.mark.parametrize(
    "content, screening", [({"urgency": "today"}, dict(NO)), ({}, {**NO, "self_harm": True})], ids=["today", "screened"]
)
def test_urgent_and_screened_out_requests_count_around_the_clock(make_request, weekday_hours, content, screening):
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        request = make_request(screening=screening, **content)
    assert request.first_contact_due_at == FRIDAY_EVENING + 4 * HOUR  # the urgent target, through the night
    assert request.overdue_at == FRIDAY_EVENING + 8 * HOUR


def test_a_holiday_stops_the_clock(make_request, weekday_hours):
    SupportHoliday.objects.create(program=weekday_hours, date=datetime.date(2026, 12, 25), name="Christmas Day")
    with time_machine.travel(local(2026, 12, 24, 15), tick=False):
        request = make_request()
    assert request.first_contact_due_at == local(2026, 12, 28, 11)  # 2 hours Thursday, 2 on Monday


def test_a_program_without_support_hours_counts_around_the_clock(make_request, program):
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        request = make_request()
    assert request.first_contact_due_at == FRIDAY_EVENING + 24 * HOUR


def test_a_paused_request_is_not_escalated_and_the_paused_time_does_not_count(make_request, weekday_hours, lead):
    with time_machine.travel(local(2026, 12, 7, 9), tick=False):  # Monday opening: due at 13:00
        request = make_request()
    with time_machine.travel(local(2026, 12, 7, 10), tick=False):  # 3 working hours left
        services.request_pause(request=request, reason="unreachable")
    with time_machine.travel(local(2026, 12, 8, 16), tick=False):
        assert services.first_contact_escalate() == 0
        services.request_add_contact(request=request, contact_method="phone", contact_details="416 555 0199")
    request.refresh_from_db()
    assert (request.paused_at, request.pause_reason) == (None, "")
    assert request.first_contact_due_at == local(2026, 12, 9, 11)  # 1 hour Tuesday, 2 on Wednesday
    assert not _escalated(lead)


def test_asked_to_be_contacted_later_the_clock_starts_again_at_that_time(make_request, weekday_hours, lead):
    with time_machine.travel(local(2026, 12, 7, 9), tick=False):
        request = make_request()
    with time_machine.travel(local(2026, 12, 7, 10), tick=False):
        services.request_pause(request=request, reason="later", resume_at=local(2026, 12, 14, 14))
    with time_machine.travel(local(2026, 12, 14, 13, 59), tick=False):
        assert services.pauses_resume() == 0
        assert services.first_contact_escalate() == 0
    with time_machine.travel(local(2026, 12, 14, 14), tick=False):
        assert services.pauses_resume() == 1
    request.refresh_from_db()
    assert request.paused_at is None
    assert request.first_contact_due_at == local(2026, 12, 14, 17)  # the 3 hours left when it paused


def test_later_needs_a_time_to_come(make_request):
    request = make_request()
    with pytest.raises(ValidationError, match="Give the time the requester asked"):
        services.request_pause(request=request, reason="later", resume_at=None)
    request.refresh_from_db()
    assert request.paused_at is None


def test_a_request_left_with_no_way_to_reach_them_waits_until_they_add_one(program, lead):
    request = services.request_create(program=program, requester=None, screening={**NO, "substance": True})
    assert (request.pause_reason, request.paused_at is not None) == ("unreachable", True)
    later = request.first_contact_due_at + 10 * HOUR
    with time_machine.travel(later, tick=False):
        assert services.first_contact_escalate() == 0
        services.request_add_contact(request=request, contact_method="email", contact_details="me@private.example")
    request.refresh_from_db()
    assert request.paused_at is None
    assert request.first_contact_due_at == later + 4 * HOUR  # the urgent target, all still to run


def test_the_requester_writing_starts_the_clock_again(make_request, weekday_hours):
    with time_machine.travel(local(2026, 12, 7, 9), tick=False):
        request = make_request()
        services.request_pause(request=request, reason="later", resume_at=local(2026, 12, 21, 9))
    with time_machine.travel(local(2026, 12, 8, 9), tick=False):
        services.message_add(request=request, text="I can talk now after all.")
    request.refresh_from_db()
    assert request.paused_at is None
    assert request.first_contact_due_at == local(2026, 12, 8, 13)


def test_leads_see_why_a_request_waits(client, make_request, lead):
    request = make_request()
    services.request_pause(request=request, reason="later", resume_at=request.created_at + 48 * HOUR)
    client.force_login(lead)
    page = client.get(reverse("support:detail", args=[request.pk])).content.decode()
    assert "The requester asked to be contacted later" in page
    assert "Its clock is paused" in page


def test_a_supporter_pauses_from_the_request_page_and_bad_input_keeps_the_clock(client, make_request, lead):
    request = make_request()
    client.force_login(lead)
    url = reverse("support:pause", args=[request.pk])
    page = client.post(url, {"reason": "later", "resume_at": ""}, follow=True).content.decode()
    assert "Give the time the requester asked" in page
    assert SupportRequest.objects.get(pk=request.pk).paused_at is None
    page = client.post(url, {"reason": "unreachable"}, follow=True).content.decode()
    assert "The clock is paused" in page
    assert SupportRequest.objects.get(pk=request.pk).pause_reason == "unreachable"
    page = client.post(reverse("support:resume", args=[request.pk]), follow=True).content.decode()
    assert "The clock runs again" in page
    assert SupportRequest.objects.get(pk=request.pk).paused_at is None
