"""The support sweeps read what is due, not what exists: with thousands of requests
that are not due, each idle sweep runs a fixed number of queries, and its main query
reads the request table through its partial index (see peers/testing/sweep_plans.py)."""

import datetime
import itertools

import pytest
from django.db import connection
from django.utils import timezone

from peers.testing.sweep_plans import analyze, assert_constant_idle_queries, assert_uses_index, main_query
from support_requests import services
from support_requests.models import LinkRecovery, SupporterAway, SupportRequest

pytestmark = pytest.mark.django_db

# Thousands of random six-letter references can collide (32**6 is about 10**9): bulk rows
# take their own, lowercase so they never meet a real one.
_references = (f"PS-t{n:07d}" for n in itertools.count())

REQUESTS = "support_requests_supportrequest"
RECOVERIES = "support_requests_linkrecovery"
AWAYS = "support_requests_supporteraway"
SETTINGS = "support_requests_supportsettings"
DAY = datetime.timedelta(days=1)


def _requests_not_due(program, count: int = 3000) -> None:
    """Purged long ago, closed within the retention period, in contact, waiting with
    the first contact not yet due, and escalated to the last step already."""
    now = timezone.now()
    shapes = (
        {"status": "closed", "first_contact_at": now, "closed_at": now - 400 * DAY, "purged_at": now - 200 * DAY},
        {"status": "closed", "first_contact_at": now, "closed_at": now - 10 * DAY},
        {"status": "contacted", "first_contact_at": now - DAY},
        {"status": "new"},
        {"status": "new", "leads_alerted_at": now - DAY, "overdue_alerted_at": now - DAY},
    )
    SupportRequest.objects.bulk_create(
        SupportRequest(
            reference=next(_references),
            program=program,
            first_contact_due_at=now + DAY if n % 5 == 3 else now - 2 * DAY,
            overdue_at=now + 2 * DAY if n % 5 == 3 else now - DAY,
            **shapes[n % 5],
        )
        for n in range(count)
    )
    analyze(REQUESTS)


# SAVEPOINT, the claiming SELECT ... FOR UPDATE SKIP LOCKED, RELEASE SAVEPOINT; for each of the two steps.
def test_the_idle_first_contact_sweep_reads_only_requests_that_can_still_escalate(program):
    queries = assert_constant_idle_queries(services.first_contact_escalate, 6, grow=lambda: _requests_not_due(program))
    assert_uses_index(main_query(queries, REQUESTS), table=REQUESTS, index="support_first_contact_due")
    assert_uses_index(queries[4], table=REQUESTS, index="support_first_contact_due")  # the second step's SELECT


# SAVEPOINT, the claiming SELECT ... FOR UPDATE SKIP LOCKED, RELEASE SAVEPOINT.
def test_the_idle_offer_expiry_reads_only_open_offers(program):
    queries = assert_constant_idle_queries(services.offers_expire, 3, grow=lambda: _requests_not_due(program))
    assert_uses_index(main_query(queries, REQUESTS), table=REQUESTS, index="support_offers_expiring")


# 1. the requests past their program's retention (the shortest retention an InitPlan).
def test_the_idle_purge_reads_only_unpurged_requests_past_the_shortest_retention(program):
    queries = assert_constant_idle_queries(services.requests_purge, 1, grow=lambda: _requests_not_due(program))
    assert_uses_index(main_query(queries, REQUESTS), table=REQUESTS, index="support_purge_due")


def test_the_purge_plan_does_not_hang_on_the_statistics_earlier_tests_left(program):
    """A program table emptied by a transactional test's DELETE keeps its pages and the
    density of its last analysis: the planner then counts many programs where this test
    has one (here a thousand, and one settings row), and reads the requests by program.
    The helper settles (rewrites and analyzes) every table the query reads first."""
    queries = assert_constant_idle_queries(services.requests_purge, 1, grow=lambda: _requests_not_due(program))
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute("UPDATE pg_class SET reltuples = 1000, relpages = 1 WHERE relname = 'peers_trainingprogram'")
        cursor.execute("UPDATE pg_class SET reltuples = 1, relpages = 1 WHERE relname = %s", [SETTINGS])
    assert_uses_index(main_query(queries, REQUESTS), table=REQUESTS, index="support_purge_due")


def test_the_purge_empties_a_request_past_its_programs_retention_and_keeps_a_recent_one(make_request, program):
    old, recent = make_request(), make_request()
    services.request_close(request=old, outcome="supported")
    services.request_close(request=recent, outcome="supported")
    SupportRequest.objects.filter(pk=old.pk).update(closed_at=timezone.now() - 181 * DAY)
    assert services.requests_purge() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.description, old.purged_at is not None) == (None, True)
    assert (recent.description, recent.purged_at) == ("Night shifts are wearing me down.", None)


# SAVEPOINT, the claiming SELECT ... FOR UPDATE SKIP LOCKED, RELEASE SAVEPOINT.
def test_the_idle_recovery_sweep_reads_only_posts_not_yet_looked_at():
    def looked_at():
        LinkRecovery.objects.bulk_create(LinkRecovery(processed_at=timezone.now()) for _ in range(3000))
        analyze(RECOVERIES)

    queries = assert_constant_idle_queries(services.link_recoveries_process, 3, grow=looked_at)
    assert_uses_index(main_query(queries, RECOVERIES), table=RECOVERIES, index="support_recovery_due")


# SAVEPOINT, the claiming SELECT ... FOR UPDATE SKIP LOCKED, RELEASE SAVEPOINT.
def test_the_idle_resume_sweep_reads_only_paused_requests_with_a_time(program):
    def paused_and_not():
        now = timezone.now()
        shapes = (
            {},  # running
            {"paused_at": now, "pause_reason": "unreachable"},  # waits for a contact, not a time
            {"paused_at": now, "pause_reason": "later", "resume_at": now + 3 * DAY},  # not yet
        )
        SupportRequest.objects.bulk_create(
            SupportRequest(
                reference=next(_references),
                program=program,
                first_contact_due_at=now - DAY,
                overdue_at=now,
                **shapes[n % 3],
            )
            for n in range(3000)
        )
        analyze(REQUESTS)

    queries = assert_constant_idle_queries(services.pauses_resume, 3, grow=paused_and_not)
    assert_uses_index(main_query(queries, REQUESTS), table=REQUESTS, index="support_resume_due")


# SAVEPOINT, the claiming SELECT ... FOR UPDATE SKIP LOCKED, RELEASE SAVEPOINT.
def test_the_idle_handover_sweep_reads_only_away_periods_not_handed_over(program, make_supporter):
    def handed_over_and_later():
        profile = make_supporter("often.away@example.edu").supporter_profile
        today, now = timezone.localdate(), timezone.now()
        SupporterAway.objects.bulk_create(
            SupporterAway(profile=profile, starts_on=today - n * DAY, ends_on=today, handed_over_at=now)
            if n % 10
            else SupporterAway(profile=profile, starts_on=today + (n + 1) * DAY, ends_on=today + (n + 2) * DAY)
            for n in range(3000)
        )
        analyze(AWAYS)

    queries = assert_constant_idle_queries(services.aways_hand_over, 3, grow=handed_over_and_later)
    assert_uses_index(main_query(queries, AWAYS), table=AWAYS, index="support_away_handover_due")
