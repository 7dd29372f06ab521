"""The mentor-duty reminders cost a fixed number of queries however many are due: the
candidates in two queries, their notifications read and inserted together."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentoring import services
from mentoring.models import Mentee, MentorPair
from peers.models import Notification, User

pytestmark = pytest.mark.django_db

PUBLISHED = datetime.datetime(2026, 8, 20, tzinfo=datetime.UTC)
AFTER_MID_SEMESTER = datetime.datetime(2026, 10, 26, 15, tzinfo=datetime.UTC)


def _people(prefix: str, count: int) -> list[User]:
    return User.objects.bulk_create(User(email=f"{prefix}{n}@example.edu", name=prefix) for n in range(count))


def _pairs_owed(world: dict, count: int) -> None:
    """`count` more pairs of the running cycle, each with one mentee neither contacted
    nor met: both their mentors are owed the monthly and the mid-semester reminder."""
    cycle, faculty = world["cycle"], world["faculty"]
    thirds, fourths, mentees = _people("third", count), _people("fourth", count), _people("mentee", count)
    pairs = MentorPair.objects.bulk_create(
        MentorPair(cycle=cycle, third_year=t, fourth_year=f, faculty_mentor=faculty, published_at=PUBLISHED)
        for t, f in zip(thirds, fourths, strict=True)
    )
    Mentee.objects.bulk_create(Mentee(cycle=cycle, pair=p, user=u) for p, u in zip(pairs, mentees, strict=True))


# 1. the pairs that could be owed one today (the day and the dedupe keys); 2. those owed a
# reminder, with their missing counts; 3. the dedupe keys that exist; 4. one INSERT ... ON
# CONFLICT DO NOTHING.
@pytest.mark.parametrize("due", [5, 50])
def test_duty_reminders_cost_four_queries_however_many_are_due(pair_world, due):
    cycle = pair_world["cycle"]
    cycle.fall_starts_on, cycle.fall_ends_on = datetime.date(2026, 9, 1), datetime.date(2026, 12, 18)
    cycle.save()
    MentorPair.objects.filter(pk=pair_world["pair"].pk).update(published_at=PUBLISHED)
    _pairs_owed(pair_world, due - 1)
    with time_machine.travel(AFTER_MID_SEMESTER):
        with CaptureQueriesContext(connection) as captured:
            sent = services.duties_remind()
        assert services.duties_remind() == 0
    assert len(captured.captured_queries) == 4, [q["sql"][:120] for q in captured.captured_queries]
    assert sent == due * 4  # the monthly contact and the mid-semester meeting, to both mentors
    assert Notification.objects.filter(kind="mentor_duty").count() == due * 4
