"""Notification delivery reads what is due, not what exists: with thousands of sent,
failed and future notifications, the idle sweep runs a fixed number of queries and
reads the table through its partial index (see peers/testing/sweep_plans.py)."""

import datetime

import pytest
from django.utils import timezone

from peers.models import Notification
from peers.services.notifications import notifications_sweep
from peers.testing.sweep_plans import analyze, assert_constant_idle_queries, assert_uses_index, main_query

pytestmark = pytest.mark.django_db

NOTIFICATIONS = "peers_notification"


def _notifications_not_due(recipient, count: int = 3000) -> None:
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    shapes = (
        {"sent_at": now - hour, "due_at": now - 2 * hour},
        {"sent_at": now - 100 * hour, "due_at": now - 100 * hour, "read_at": now},
        {"failed_at": now - hour, "due_at": now - 30 * hour, "attempts": 5},
        {"due_at": now + 20 * hour},  # a reminder created ahead of its time
    )
    Notification.objects.bulk_create(
        Notification(recipient=recipient, kind="test", subject="s", body="b", dedupe_key=f"k{n}", **shapes[n % 4])
        for n in range(count)
    )
    analyze(NOTIFICATIONS)


# SAVEPOINT, the claiming SELECT ... FOR UPDATE SKIP LOCKED, RELEASE SAVEPOINT.
def test_the_idle_delivery_sweep_reads_only_undelivered_notifications(trainee):
    queries = assert_constant_idle_queries(notifications_sweep, 3, grow=lambda: _notifications_not_due(trainee))
    assert_uses_index(main_query(queries, NOTIFICATIONS), table=NOTIFICATIONS, index="notification_unsent_due")
