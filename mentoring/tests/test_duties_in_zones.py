"""Mentor duties run on the program's days: the month turns and the reminders start at
midnight in the program's zone, and a mentor away that day is not reminded."""

import datetime

import pytest
import time_machine

from mentoring import services
from mentoring.models import AwayNotice, Contact
from peers.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def semester(pair_world):
    cycle = pair_world["cycle"]
    cycle.fall_starts_on, cycle.fall_ends_on = datetime.date(2026, 9, 1), datetime.date(2026, 12, 18)
    cycle.save()
    return pair_world


def _in_zone(world, zone: str) -> None:
    program = world["cycle"].program
    program.time_zone = zone
    program.save()


def _reminded() -> list[str]:
    return sorted(Notification.objects.filter(kind="mentor_duty").values_list("recipient__email", flat=True))


def test_the_monthly_reminder_starts_on_the_21st_in_the_programs_zone(semester):
    _in_zone(semester, "Pacific/Auckland")  # UTC+13 in October
    with time_machine.travel(datetime.datetime(2026, 10, 20, 10, 59, tzinfo=datetime.UTC)):  # 23:59 on the 20th
        assert services.duties_remind() == 0
    with time_machine.travel(datetime.datetime(2026, 10, 20, 11, 1, tzinfo=datetime.UTC)):  # 00:01 on the 21st
        assert services.duties_remind() == 2
    assert Notification.objects.filter(dedupe_key__contains=":month-2026-10:").count() == 2


def test_a_program_behind_utc_is_not_reminded_before_its_own_21st(semester):
    _in_zone(semester, "America/Los_Angeles")
    with time_machine.travel(datetime.datetime(2026, 10, 21, 6, tzinfo=datetime.UTC)):  # 23:00 on the 20th there
        assert services.duties_remind() == 0


def test_an_answer_late_on_the_last_day_of_the_month_counts_for_that_month_in_the_programs_zone(semester):
    _in_zone(semester, "America/Los_Angeles")
    answered = datetime.datetime(2026, 11, 1, 5, tzinfo=datetime.UTC)  # Oct 31, 22:00 there
    Contact.objects.create(
        mentee=semester["mentee"],
        pair=semester["pair"],
        channel="text",
        received_at=answered - datetime.timedelta(hours=1),
        due_at=answered + datetime.timedelta(hours=20),
        answered_at=answered,
    )
    with time_machine.travel(datetime.datetime(2026, 11, 1, 6, tzinfo=datetime.UTC)):  # Oct 31, 23:00 there
        # Mid-semester has passed and nobody met the mentee, so only the meeting reminder is owed.
        services.duties_remind()
    assert not Notification.objects.filter(dedupe_key__contains=":month-2026-10:").exists()


def test_a_mentor_who_is_away_is_not_reminded_but_the_partner_is(semester):
    AwayNotice.objects.create(
        mentor=semester["third"],
        pair=semester["pair"],
        starts_on=datetime.date(2026, 10, 19),
        ends_on=datetime.date(2026, 10, 23),
        reason="exams",
    )
    with time_machine.travel(datetime.datetime(2026, 10, 21, 15, tzinfo=datetime.UTC)):
        assert services.duties_remind() == 1  # the monthly contact, to the partner only
        assert services.duties_remind() == 0
    assert _reminded() == ["fourth@example.edu"]


def test_both_mentors_away_means_nobody_is_reminded_until_one_is_back(semester):
    for mentor in (semester["third"], semester["fourth"]):
        AwayNotice.objects.create(
            mentor=mentor,
            pair=semester["pair"],
            starts_on=datetime.date(2026, 10, 19),
            ends_on=datetime.date(2026, 10, 23),
            reason="exams",
        )
    with time_machine.travel(datetime.datetime(2026, 10, 22, 15, tzinfo=datetime.UTC)):
        assert services.duties_remind() == 0
    with time_machine.travel(datetime.datetime(2026, 10, 24, 15, tzinfo=datetime.UTC)):
        assert services.duties_remind() == 2
