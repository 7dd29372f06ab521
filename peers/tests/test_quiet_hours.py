"""Quiet hours (peers/services/quiet_hours.py): a notice that can wait, falling due in the
recipient's quiet hours, waits for their end in the recipient's zone; urgent ones do not."""

import datetime

import pytest
import time_machine

from peers.services.notifications import notification_create
from peers.services.quiet_hours import quiet_hours_end
from peers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def _at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


@pytest.fixture
def toronto(settings):
    settings.PEERS_QUIET_HOURS = (datetime.time(21), datetime.time(7))  # the product's default
    return UserFactory(time_zone="America/Toronto")


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-12-02T03:30:00+00:00", "2026-12-02T12:00:00+00:00"),  # 22:30 Toronto: until 07:00 next morning
        ("2026-12-02T10:00:00+00:00", "2026-12-02T12:00:00+00:00"),  # 05:00 Toronto: until 07:00 that morning
        ("2026-12-02T15:00:00+00:00", "2026-12-02T15:00:00+00:00"),  # 10:00 Toronto: at once
        ("2026-12-02T01:59:00+00:00", "2026-12-02T01:59:00+00:00"),  # 20:59 Toronto: at once
        ("2026-12-02T02:00:00+00:00", "2026-12-02T12:00:00+00:00"),  # 21:00 Toronto: quiet
    ],
)
def test_the_end_of_quiet_hours_is_the_recipient_s_morning(toronto, moment, expected):
    assert quiet_hours_end(toronto, _at(moment)) == _at(expected)


def test_people_start_with_the_configured_quiet_hours(toronto, settings):
    assert (toronto.quiet_from, toronto.quiet_until) == (datetime.time(21), datetime.time(7))
    settings.PEERS_QUIET_HOURS = None
    assert UserFactory().quiet_from is None


def test_a_daytime_quiet_window_and_no_quiet_hours(toronto):
    toronto.quiet_from, toronto.quiet_until = datetime.time(13), datetime.time(14)
    assert quiet_hours_end(toronto, _at("2026-12-02T18:30:00+00:00")) == _at("2026-12-02T19:00:00+00:00")
    toronto.quiet_from = toronto.quiet_until = None
    assert quiet_hours_end(toronto, _at("2026-12-02T03:30:00+00:00")) == _at("2026-12-02T03:30:00+00:00")


def test_the_morning_after_a_clock_change_is_still_seven_local(toronto):
    # 2026-11-01: Toronto leaves daylight time at 02:00; 23:00 on Oct 31 is 03:00 UTC.
    assert quiet_hours_end(toronto, _at("2026-11-01T03:00:00+00:00")) == _at("2026-11-01T12:00:00+00:00")


@time_machine.travel(_at("2026-12-02T04:00:00+00:00"), tick=False)  # 23:00 in Toronto
def test_a_notice_that_can_wait_is_due_in_the_morning_and_others_at_once(toronto):
    waiting, _ = notification_create(
        recipient=toronto,
        kind="test",
        dedupe_key="waits",
        template="generic",
        context={"subject": "s", "message": "m"},
        quiet_hours=True,
    )
    urgent, _ = notification_create(
        recipient=toronto, kind="test", dedupe_key="now", template="generic", context={"subject": "s", "message": "m"}
    )
    assert waiting.due_at == _at("2026-12-02T12:00:00+00:00")
    assert urgent.due_at == _at("2026-12-02T04:00:00+00:00")


def test_the_setting_reads_hours_or_off_and_refuses_anything_else():
    from django.core.exceptions import ImproperlyConfigured

    from peers.settings import _quiet_hours

    assert _quiet_hours("22:30-06:00") == (datetime.time(22, 30), datetime.time(6))
    assert _quiet_hours("off") is None
    with pytest.raises(ImproperlyConfigured, match="PEERS_QUIET_HOURS"):
        _quiet_hours("nights")
