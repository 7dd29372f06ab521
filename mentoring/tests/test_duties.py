import datetime

import pytest
import time_machine
from django.urls import reverse

from mentoring import selectors, services
from mentoring.models import Meeting, Outreach
from mentoring.tests.repairing_helpers import second_pair
from peers.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def semester(pair_world):
    cycle = pair_world["cycle"]
    cycle.fall_starts_on, cycle.fall_ends_on = datetime.date(2026, 9, 1), datetime.date(2026, 12, 18)
    cycle.save()
    pair = pair_world["pair"]
    pair.published_at = datetime.datetime(2026, 8, 20, tzinfo=datetime.UTC)
    pair.save()
    return pair_world


def test_a_mentee_not_contacted_by_the_21st_gets_their_mentors_reminded_once(semester):
    with time_machine.travel(datetime.datetime(2026, 10, 20, 15, tzinfo=datetime.UTC)):
        assert services.duties_remind() == 0
    with time_machine.travel(datetime.datetime(2026, 10, 21, 15, tzinfo=datetime.UTC)):
        assert services.duties_remind() == 2  # both mentors
        assert services.duties_remind() == 0
    reminder = Notification.objects.filter(kind="mentor_duty", subject="Monthly contact").first()
    assert "One of your mentees has not heard from you this month" in reminder.body
    assert semester["mentee_user"].get_full_name() not in reminder.body  # who: on the mentoring page only


def test_outreach_this_month_satisfies_the_monthly_duty(semester):
    with time_machine.travel(datetime.datetime(2026, 10, 21, 15, tzinfo=datetime.UTC)):
        services.outreach_log(
            mentee=semester["mentee"], by=semester["third"], on=datetime.date(2026, 10, 5), channel="text"
        )
        assert services.duties_remind() == 0  # contacted this month, and mid-semester (Oct 25) not reached


def test_mentees_not_met_by_mid_semester_and_three_weeks_before_the_end(semester):
    with time_machine.travel(datetime.datetime(2026, 10, 26, 15, tzinfo=datetime.UTC)):  # past mid-semester
        services.outreach_log(
            mentee=semester["mentee"], by=semester["third"], on=datetime.date(2026, 10, 2), channel="call"
        )
        services.duties_remind()
        services.duties_remind()
    assert Notification.objects.filter(subject="Meeting each mentee").count() == 2
    with time_machine.travel(datetime.datetime(2026, 11, 28, 15, tzinfo=datetime.UTC)):  # three weeks before the end
        services.meeting_log(
            pair=semester["pair"],
            by=semester["fourth"],
            held_on=datetime.date(2026, 11, 27),
            mode="video",
            kind="group",
            mentees=[semester["mentee"]],
            notes="Exam stress",
        )
        services.duties_remind()
    assert Notification.objects.filter(subject="Meeting each mentee").count() == 2  # met now: no late reminder
    assert selectors.duty_status(pair=semester["pair"], today=datetime.date(2026, 11, 28))[semester["mentee"].pk]["met"]


def test_the_mentor_page_shows_each_mentees_duties_and_logs_meetings(client, semester):
    client.force_login(semester["third"])
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "not contacted this month" in page
    bad = client.post(
        reverse("mentoring:meeting"),
        {"held_on": "2099-01-01", "mode": "video", "kind": "group", "mentees": [str(semester["mentee"].pk)]},
        follow=True,
    )
    assert "before it happens" in bad.content.decode()
    client.post(
        reverse("mentoring:meeting"),
        {
            "held_on": "2026-11-20",
            "mode": "in_person",
            "kind": "individual",
            "mentees": [str(semester["mentee"].pk)],
            "notes": "Coffee",
        },
    )
    assert Meeting.objects.get().notes == "Coffee"
    client.post(
        reverse("mentoring:outreach"), {"mentee": str(semester["mentee"].pk), "on": "2026-11-19", "channel": "text"}
    )
    assert Outreach.objects.count() == 1


def test_after_a_pair_dissolved_the_reminder_goes_to_the_mentee_s_new_pair_only(semester):
    other = second_pair(semester["cycle"])
    services.pair_dissolve(pair=semester["pair"], by=semester["coordinator"])
    with time_machine.travel(datetime.datetime(2026, 10, 21, 15, tzinfo=datetime.UTC)):
        assert services.duties_remind() == 2
    reminded = set(Notification.objects.filter(kind="mentor_duty").values_list("recipient", flat=True))
    assert reminded == {other.third_year_id, other.fourth_year_id}
