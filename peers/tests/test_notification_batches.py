"""Delivery in claimed batches (peers/services/notifications.py): one SMTP connection
per batch, a claim no other path sends through, a claim that lapses when its worker
died, and drains that work through a backlog."""

import datetime

import pytest
import redis
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone

from peers.models import Notification
from peers.services.notifications import (
    notification_create,
    notification_deliver,
    notifications_claim_batch,
    notifications_drain,
    notifications_send_batch,
    notifications_sweep,
)
from peers.testing.smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db


def _due(user, count: int) -> list[Notification]:
    return [
        notification_create(
            recipient=user,
            kind="test",
            dedupe_key=f"batch-{n}",
            template="generic",
            context={"subject": f"Message {n}", "message": "Hello."},
        )[0]
        for n in range(count)
    ]


@pytest.fixture
def sink(settings):
    server = SmtpSink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.close()


def test_a_row_claimed_by_a_batch_is_not_sent_by_its_own_task(trainee):
    (row,) = _due(trainee, 1)
    batch = notifications_claim_batch(size=10)
    assert [claimed.pk for claimed in batch] == [row.pk]
    assert notification_deliver(notification_id=row.pk) == "skipped"  # the task queued on commit
    assert mail.outbox == []
    assert notifications_send_batch(batch) == 1
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.sent_at is not None and row.claimed_until is None and row.attempts == 1


def test_a_batch_is_sent_over_one_smtp_connection(trainee, sink):
    _due(trainee, 30)
    assert notifications_sweep() == 30
    assert sink.total() == 30 and sink.duplicates() == 0
    assert sink.connections == 1


def test_a_refusing_mail_server_fails_each_row_of_the_batch_for_a_retry(trainee, sink):
    sink.mode = "refuse"
    rows = _due(trainee, 3)
    assert notifications_sweep() == 0
    for row in rows:
        row.refresh_from_db()
        assert row.attempts == 1 and row.sent_at is None and row.claimed_until is None
        assert row.next_attempt_at > timezone.now() and row.last_error


def test_a_claim_whose_worker_died_lapses_and_the_row_is_sent_once(trainee, settings):
    (row,) = _due(trainee, 1)
    assert notifications_claim_batch(size=10)  # the worker holding it dies here
    assert notifications_sweep() == 0
    later = timezone.now() + datetime.timedelta(seconds=settings.PEERS_NOTIFICATION_CLAIM_SECONDS + 1)
    with time_machine.travel(later):
        assert notifications_sweep() == 1
        assert notifications_sweep() == 0
    assert len(mail.outbox) == 1


def test_a_slow_batch_hands_its_rest_back_before_the_claim_lapses(trainee, sink, settings):
    settings.PEERS_NOTIFICATION_CLAIM_SECONDS = 2  # sends stop after 1 s
    sink.delay = 0.4
    _due(trainee, 8)
    sent = notifications_send_batch(notifications_claim_batch(size=8))
    assert 1 <= sent < 8
    rest = Notification.objects.filter(sent_at__isnull=True)
    assert rest.count() == 8 - sent and not rest.filter(claimed_until__isnull=False).exists()
    sink.delay = 0
    assert notifications_sweep() == 8 - sent
    assert sink.total() == 8 and sink.duplicates() == 0


def test_a_backlog_beyond_the_sweeps_limit_starts_the_drains(trainee, settings):
    settings.PEERS_NOTIFICATION_BATCH = 4
    broker = redis.Redis.from_url(django_settings.REDIS_URL)
    broker.delete("celery")
    _due(trainee, 13)
    broker.delete("celery")  # the rows' own delivery tasks
    assert notifications_sweep(limit=6) == 6
    queued = [message for message in broker.lrange("celery", 0, -1) if b"notifications_drain_task" in message]
    assert len(queued) == settings.PEERS_NOTIFICATION_DRAINS
    broker.delete("celery")
    assert notifications_drain(seconds=30) == (7, False)
    assert len(mail.outbox) == 13 and Notification.objects.filter(sent_at__isnull=True).count() == 0


def test_in_app_rows_are_delivered_while_the_mail_server_refuses(trainee, sink):
    sink.mode = "refuse"
    (email,) = _due(trainee, 1)
    in_app, _ = notification_create(
        recipient=trainee,
        kind="test",
        dedupe_key="in-app",
        template="generic",
        context={"subject": "In the app", "message": "Hello."},
        channel="in_app",
    )
    assert notifications_sweep() == 1
    email.refresh_from_db(), in_app.refresh_from_db()
    assert in_app.sent_at is not None and email.sent_at is None and email.attempts == 1
