"""The faculty mentor's monthly summary of their pairs' compliance: from the first of the
month in the program's zone, once per faculty mentor per month, whatever the sweeps."""

import datetime
import time

import pytest
import time_machine

from mentoring import services
from mentoring.models import FacultySummary, Outreach
from mentoring.services import summaries
from mentoring.tests.repairing_helpers import dissolved_pair, person
from peers.models import Notification, Role
from peers.testing.concurrency import run_concurrently

pytestmark = pytest.mark.django_db

NOV_1_TORONTO = datetime.datetime(2026, 11, 1, 4, 30, tzinfo=datetime.UTC)  # 00:30 on Nov 1 in Toronto


@pytest.fixture
def semester(pair_world):
    cycle = pair_world["cycle"]
    cycle.fall_starts_on, cycle.fall_ends_on = datetime.date(2026, 9, 1), datetime.date(2026, 12, 18)
    cycle.save()
    Outreach.objects.create(
        mentee=pair_world["mentee"], mentor=pair_world["third"], on=datetime.date(2026, 10, 12), channel="text"
    )
    return pair_world


def test_the_faculty_mentor_gets_the_closed_months_summary_once(semester):
    with time_machine.travel(NOV_1_TORONTO - datetime.timedelta(hours=1)):  # still October there
        assert services.faculty_summaries_send() == 1  # September's
        assert services.faculty_summaries_send() == 0
    with time_machine.travel(NOV_1_TORONTO):
        assert services.faculty_summaries_send() == 1
        assert services.faculty_summaries_send() == 0
    summary = FacultySummary.objects.get(month=datetime.date(2026, 10, 1))
    assert (summary.mentees, summary.contacted, summary.met) == (1, 1, 0)
    mail = Notification.objects.get(kind="faculty_summary", dedupe_key=f"faculty-summary:{summary.pk}")
    assert mail.recipient == semester["faculty"] and "October 2026" in mail.subject
    assert "Third and Fourth: 1 of 1 contacted, 0 of 1 met" in mail.body
    assert semester["mentee_user"].get_full_name() not in mail.body


def test_each_month_brings_its_own_summary(semester):
    with time_machine.travel(NOV_1_TORONTO):
        services.faculty_summaries_send()
    with time_machine.travel(NOV_1_TORONTO + datetime.timedelta(days=31)):
        assert services.faculty_summaries_send() == 1
    assert list(FacultySummary.objects.values_list("month", "contacted")) == [
        (datetime.date(2026, 11, 1), 0),
        (datetime.date(2026, 10, 1), 1),
    ]  # September's was never sent: only the month just closed is summarised


def test_no_summary_for_a_month_before_the_pairs_were_published(pair_world):
    with time_machine.travel(datetime.datetime(2026, 7, 15, tzinfo=datetime.UTC)):  # published Jul 1
        assert services.faculty_summaries_send() == 0
    with time_machine.travel(datetime.datetime(2026, 8, 2, tzinfo=datetime.UTC)):
        assert services.faculty_summaries_send() == 1
    assert FacultySummary.objects.get().month == datetime.date(2026, 7, 1)


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_summary_once(semester, monkeypatch):
    original = summaries._summarise

    def slow_summarise(summary):  # hold the claim while the other sweep looks
        original(summary)
        time.sleep(0.5)

    monkeypatch.setattr(summaries, "_summarise", slow_summarise)
    with time_machine.travel(NOV_1_TORONTO, tick=True):
        done = run_concurrently(services.faculty_summaries_send, services.faculty_summaries_send)
    assert sorted(done) == [0, 1]  # the work itself was done once
    assert FacultySummary.objects.count() == 1
    assert Notification.objects.filter(kind="faculty_summary").count() == 1


def test_a_dissolved_pair_is_left_out_of_its_faculty_mentors_summary(semester):
    dissolved_pair(semester["cycle"], semester["coordinator"], faculty=semester["faculty"])
    with time_machine.travel(NOV_1_TORONTO):
        assert services.faculty_summaries_send() == 1
    mail = Notification.objects.get(kind="faculty_summary")
    assert "Third and Fourth: 1 of 1 contacted" in mail.body
    assert "Gone" not in mail.body  # the dissolved pair of Dee Gone and Eli Gone
    assert FacultySummary.objects.get().mentees == 1


def test_a_faculty_mentor_whose_only_pair_dissolved_is_owed_no_summary(semester):
    program = semester["cycle"].program
    alone = person(program, "Faculty Alone", Role.FACULTY_MENTOR)
    dissolved_pair(semester["cycle"], semester["coordinator"], faculty=alone)
    with time_machine.travel(NOV_1_TORONTO):
        assert services.faculty_summaries_send() == 1  # the running pair's faculty mentor only
    assert not FacultySummary.objects.filter(faculty_mentor=alone).exists()
    assert not Notification.objects.filter(recipient=alone, kind="faculty_summary").exists()
