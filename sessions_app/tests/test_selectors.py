"""Session feedback figures: anonymous ratings counted by closed month through the
suppression engine, each month published once."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from peers.suppression import SMALL, SUPPRESSED
from sessions_app.models import Feedback
from sessions_app.selectors import feedback_figures
from sessions_app.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

TORONTO = datetime.timezone(datetime.timedelta(hours=-5))


def _feedback(session, when, *ratings):
    with time_machine.travel(datetime.datetime.fromisoformat(when).replace(tzinfo=TORONTO), tick=False):
        for rating in ratings:
            Feedback.objects.create(session=session, rating=rating, comment="")


def _figures_at(program, when):
    with time_machine.travel(datetime.datetime.fromisoformat(when).replace(tzinfo=TORONTO), tick=False):
        return feedback_figures(program)


def test_ratings_by_closed_month_hide_small_counts_and_their_partners(program):
    session = SessionFactory(program=program)
    _feedback(session, "2027-02-10T12:00", 5, 5, 5, 5, 5, 5, 4)
    assert _figures_at(program, "2027-02-27T12:00") == []  # the open month never shows
    (february,) = _figures_at(program, "2027-03-01T09:00")
    assert february["ratings"].cells == ["0", "0", "0", SMALL, SUPPRESSED]  # "6" beside a total of 7 gives the 4 away
    assert february["ratings"].total == "7"
    assert february["average"] is None  # it would tell the hidden counts apart


def test_the_average_shows_only_when_no_count_is_hidden(program):
    session = SessionFactory(program=program)
    _feedback(session, "2027-02-10T12:00", *[4] * 5, *[5] * 5)
    (february,) = _figures_at(program, "2027-03-01T09:00")
    assert february["ratings"].cells == ["0", "0", "0", "5", "5"] and february["average"] == 4.5


def test_a_published_month_does_not_change_when_late_or_deleted_feedback_would_change_it(program):
    session = SessionFactory(program=program)
    _feedback(session, "2027-02-10T12:00", *[4] * 5)
    before = _figures_at(program, "2027-03-01T09:00")
    Feedback.objects.filter(session=session).first().delete()
    _feedback(session, "2027-03-03T12:00", 1)  # March: still open
    after = _figures_at(program, "2027-03-20T09:00")
    assert after == before and before[0]["ratings"].cells[3] == "5"


@pytest.mark.parametrize("months", [1, 4])
def test_the_roster_page_costs_the_same_queries_however_many_feedback_months(
    client, program, coordinator, django_assert_num_queries, months
):
    session = SessionFactory(program=program)
    for month in range(months):
        _feedback(session, f"2027-{month + 1:02d}-10T12:00", *[3] * 6)
    url = reverse("sessions:roster", args=[program.pk])
    with time_machine.travel(datetime.datetime(2027, 8, 10, 12, tzinfo=TORONTO), tick=False):
        client.force_login(coordinator)
        client.get(url)  # publishes the closed months
        # session, user, TOTP, memberships, programs; trainee count, members (no
        # facilitators here, so no prefetches); bookings with the sessions held, coverage; the
        # first feedback, the stored feedback months; the inbox badge; the coming months'
        # sessions and the facilitators' roles (nobody, so no availability or training records).
        with django_assert_num_queries(14):
            page = client.get(url).content.decode()
    assert "Jan 2027" in page and "Aug 2027" not in page
