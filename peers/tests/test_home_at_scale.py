"""The coordinator's home counts what needs them through indexes that hold only those rows:
with thousands of notifications that did not fail, the failed count reads the partial
index `notification_failed`, not every notification of the programs."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peers.models import Notification
from peers.selectors import notifications_failed_count
from peers.testing.sweep_plans import analyze, assert_uses_index, main_query

pytestmark = pytest.mark.django_db


def test_the_failed_count_reads_only_failed_notifications(program, coordinator, trainee):
    now = timezone.now()

    def notice(key: str, **when) -> Notification:
        return Notification(
            recipient=trainee, program=program, kind="session_reminder", subject="s", body="b", dedupe_key=key, **when
        )

    sent = (notice(f"k{n}", due_at=now - datetime.timedelta(hours=n), sent_at=now) for n in range(4000))
    failed = (notice(f"failed{n}", due_at=now, failed_at=now) for n in range(2))
    Notification.objects.bulk_create([*sent, *failed])
    analyze("peers_notification")
    with CaptureQueriesContext(connection) as captured:
        assert notifications_failed_count(coordinator) == 2
    sql = main_query([query["sql"] for query in captured.captured_queries], "peers_notification")
    assert_uses_index(sql, table="peers_notification", index="notification_failed")
