"""The faculty monthly summaries cost a fixed number of queries per batch, however many
faculty mentors are owed one: claimed together, counted together, sent together."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentoring import services
from mentoring.models import FacultySummary, Mentee, MentorPair, Outreach
from mentoring.services import summaries
from peers.models import Notification, User

pytestmark = pytest.mark.django_db

PUBLISHED = datetime.datetime(2026, 8, 20, tzinfo=datetime.UTC)
NOV_1_TORONTO = datetime.datetime(2026, 11, 1, 4, 30, tzinfo=datetime.UTC)  # 00:30 on Nov 1 in Toronto


def _people(prefix: str, count: int) -> list[User]:
    return User.objects.bulk_create(
        User(email=f"{prefix}{n}@example.edu", name=f"{prefix.title()} {n}") for n in range(count)
    )


@pytest.fixture
def semester(pair_world):
    cycle = pair_world["cycle"]
    cycle.fall_starts_on, cycle.fall_ends_on = datetime.date(2026, 9, 1), datetime.date(2026, 12, 18)
    cycle.save()
    MentorPair.objects.filter(pk=pair_world["pair"].pk).update(published_at=PUBLISHED)
    return pair_world


def _faculty_owed(world: dict, count: int) -> None:
    """`count` more faculty mentors, each with one pair of one mentee; every other mentee
    heard from their mentors in October."""
    cycle = world["cycle"]
    faculty, thirds, fourths = _people("faculty", count), _people("third", count), _people("fourth", count)
    pairs = MentorPair.objects.bulk_create(
        MentorPair(cycle=cycle, third_year=t, fourth_year=f, faculty_mentor=m, published_at=PUBLISHED)
        for t, f, m in zip(thirds, fourths, faculty, strict=True)
    )
    mentees = Mentee.objects.bulk_create(
        Mentee(cycle=cycle, pair=p, user=u) for p, u in zip(pairs, _people("mentee", count), strict=True)
    )
    Outreach.objects.bulk_create(
        Outreach(mentee=m, pair=m.pair, mentor=m.pair.third_year, on=datetime.date(2026, 10, 12), channel="text")
        for m in mentees[::2]
    )


def _queries(sweep) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        done = sweep()
    return done, [query["sql"] for query in captured.captured_queries]


def _assert_queries(queries: list[str], expected: int) -> None:
    listing = "\n".join(f"  {n}. {sql[:160]}" for n, sql in enumerate(queries, 1))
    assert len(queries) == expected, f"{len(queries)} queries, expected {expected}:\n{listing}"


# 1. who is owed a summary; then a batch: SAVEPOINT; the claim (INSERT ... ON CONFLICT DO
# NOTHING RETURNING); the pairs with their mentors and program; their mentees; the
# duties of the program's pairs (meetings, outreach, answered contacts, mentees); one
# UPDATE of the counts; the dedupe keys that exist; one INSERT of the notifications;
# RELEASE.
OWED_QUERIES = 1
BATCH_QUERIES = 12


@pytest.mark.parametrize("due", [5, 50])
def test_the_summaries_cost_a_fixed_number_of_queries(semester, due):
    _faculty_owed(semester, due - 1)
    with time_machine.travel(NOV_1_TORONTO):
        done, queries = _queries(services.faculty_summaries_send)
        assert services.faculty_summaries_send() == 0  # each faculty mentor's month once
    assert done == due
    _assert_queries(queries, OWED_QUERIES + BATCH_QUERIES)
    assert FacultySummary.objects.filter(month=datetime.date(2026, 10, 1)).count() == due
    mails = Notification.objects.filter(kind="faculty_summary")
    assert mails.count() == due
    contacted = FacultySummary.objects.filter(contacted=1).values_list("faculty_mentor__email", flat=True)
    assert set(contacted) == {f"faculty{n}@example.edu" for n in range(0, due - 1, 2)}
    first = mails.get(recipient__email="faculty0@example.edu")
    assert "Third 0 and Fourth 0: 1 of 1 contacted, 0 of 1 met" in first.body
    assert "Mentee 0" not in first.body


def test_faculty_beyond_a_batch_take_one_more_batch(semester, monkeypatch):
    monkeypatch.setattr(summaries, "BATCH", 4)
    _faculty_owed(semester, 9)
    with time_machine.travel(NOV_1_TORONTO):
        done, queries = _queries(services.faculty_summaries_send)
    assert done == 10
    _assert_queries(queries, OWED_QUERIES + 3 * BATCH_QUERIES)  # 4 + 4 + 2
    assert Notification.objects.filter(kind="faculty_summary").count() == 10


def test_a_summary_whose_pairs_are_gone_since_is_claimed_and_says_nothing(semester, monkeypatch):
    _faculty_owed(semester, 2)
    gone = MentorPair.objects.select_related("faculty_mentor").get(faculty_mentor__email="faculty1@example.edu")
    due = summaries.faculty_summaries_due

    def due_then_dissolved(**kwargs):  # removed between finding who is owed and the claim
        owed = list(due(**kwargs))
        MentorPair.objects.filter(pk=gone.pk).delete()
        return owed

    monkeypatch.setattr(summaries, "faculty_summaries_due", due_then_dissolved)
    with time_machine.travel(NOV_1_TORONTO):
        assert services.faculty_summaries_send() == 3
    assert FacultySummary.objects.filter(faculty_mentor=gone.faculty_mentor, mentees=0).exists()
    assert not Notification.objects.filter(kind="faculty_summary", recipient=gone.faculty_mentor).exists()
    assert Notification.objects.filter(kind="faculty_summary").count() == 2
