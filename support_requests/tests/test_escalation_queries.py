"""The first-contact escalation costs a fixed number of queries per batch of requests,
however many are due and however many people each step tells: a batch's notices are
read, rendered and inserted together."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peers.models import Notification, Role
from peers.tests.factories import MembershipFactory, office_administrators
from support_requests import services
from support_requests.models import SupportDecline, SupportRequest
from support_requests.services import escalation
from support_requests.tests.bulk import bulk_requests

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def _late_requests(program, count: int, *, overdue: bool) -> list[SupportRequest]:
    """`count` requests past their first-contact deadline (and, with `overdue`, past twice
    the target), nobody in contact yet."""
    now = timezone.now()
    return bulk_requests(
        program,
        count,
        lambda n: {
            "first_contact_due_at": now - (25 if overdue else 1) * HOUR - n * datetime.timedelta(seconds=1),
            "overdue_at": now - HOUR if overdue else now + 23 * HOUR,
        },
    )


def _queries(sweep) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        done = sweep()
    return done, [query["sql"] for query in captured.captured_queries]


def _assert_queries(queries: list[str], expected: int) -> None:
    listing = "\n".join(f"  {n}. {sql[:160]}" for n, sql in enumerate(queries, 1))
    assert len(queries) == expected, f"{len(queries)} queries, expected {expected}:\n{listing}"


# SAVEPOINT; the claim (SELECT ... FOR UPDATE SKIP LOCKED, the request table alone); the
# batch's programs and their institutions (prefetched); the requests' declines (the leads'
# step only); the programs' leads and coordinators; the dedupe keys that exist; one
# INSERT ... ON CONFLICT DO NOTHING; the UPDATE stamping the requests; RELEASE.
LEADS_QUERIES = 10
OVERDUE_QUERIES = 9
# The step finds nothing more: SAVEPOINT, the claim, RELEASE.
EMPTY_CLAIM = 3


@pytest.mark.parametrize("due", [5, 50])
def test_the_leads_step_costs_a_fixed_number_of_queries(program, lead, coordinator, due):
    late = _late_requests(program, due, overdue=False)
    SupportRequest.objects.filter(pk=late[0].pk).update(paused_at=timezone.now(), pause_reason="unreachable")
    SupportDecline.objects.create(request=late[1], supporter=coordinator)
    done, queries = _queries(services.first_contact_escalate)
    assert done == due - 1
    _assert_queries(queries, LEADS_QUERIES + EMPTY_CLAIM)  # the overdue step finds none
    told = Notification.objects.filter(kind="support_due")
    assert list(told.values_list("recipient", flat=True).distinct()) == [lead.pk]  # the lead, not the coordinator
    assert told.count() == due - 1
    assert told.filter(dedupe_key=f"support_due:{late[1].pk}:{lead.pk}:1").exists()
    assert not told.filter(dedupe_key__startswith=f"support_due:{late[0].pk}:").exists()
    assert services.first_contact_escalate() == 0  # each request's step once


@pytest.mark.parametrize("due", [5, 50])
def test_both_steps_cost_a_fixed_number_of_queries(program, lead, coordinator, due):
    _late_requests(program, due, overdue=True)
    done, queries = _queries(services.first_contact_escalate)
    assert done == 2 * due
    _assert_queries(queries, LEADS_QUERIES + OVERDUE_QUERIES)
    overdue = Notification.objects.filter(kind="support_overdue")
    assert set(overdue.values_list("recipient", flat=True)) == {lead.pk, coordinator.pk}
    assert overdue.count() == 2 * due
    assert not overdue.filter(body__contains="Night shifts").exists()


@pytest.mark.parametrize("due", [5, 50])
def test_without_a_lead_the_office_is_told_in_a_fixed_number_of_queries(program, coordinator, due):
    office = office_administrators()
    _late_requests(program, due, overdue=True)
    done, queries = _queries(services.first_contact_escalate)
    assert done == 2 * due
    # Each step also reads the office, and each office administrator's roles once (may they read it?).
    _assert_queries(queries, LEADS_QUERIES + OVERDUE_QUERIES + 2 * (1 + len(office)))
    for step in ("support_due", "support_overdue"):
        told = Notification.objects.filter(kind="support_no_lead", dedupe_key__startswith=f"support_no_lead:{step}:")
        assert told.count() == due * len(office)
        assert set(told.values_list("recipient", flat=True)) == {person.pk for person in office}
    assert Notification.objects.filter(kind="support_due", recipient=coordinator).count() == due


def test_requests_beyond_a_batch_take_one_more_batch(program, lead, monkeypatch):
    monkeypatch.setattr(escalation, "BATCH", 4)
    _late_requests(program, 10, overdue=False)
    done, queries = _queries(services.first_contact_escalate)
    assert done == 10
    _assert_queries(queries, 3 * LEADS_QUERIES + EMPTY_CLAIM)  # 4 + 4 + 2
    assert Notification.objects.filter(kind="support_due").count() == 10


def test_a_coordinator_who_is_also_a_lead_is_told_once(program, lead):
    MembershipFactory(user=lead, program=program, role=Role.COORDINATOR)
    _late_requests(program, 3, overdue=True)
    services.first_contact_escalate()
    assert Notification.objects.filter(kind="support_overdue", recipient=lead).count() == 3
