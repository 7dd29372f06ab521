import datetime
import json
import threading

import pytest
import redis
import time_machine
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone

from peers.models import Notification
from peers.models.notifications import Channel
from peers.services.notifications import (
    notification_create,
    notification_deliver,
    notifications_claim_batch,
    notifications_sweep,
)
from peers.testing.concurrency import run_concurrently
from peers.tests.factories import UserFactory


def _create(user, key="reminder-1", **kwargs):
    return notification_create(
        recipient=user,
        kind="test",
        dedupe_key=key,
        template="generic",
        context={"subject": "Your session is tomorrow", "message": "See you at noon."},
        **kwargs,
    )


@pytest.mark.django_db
def test_the_same_notification_created_twice_is_one_row(trainee):
    first, created_first = _create(trainee)
    second, created_second = _create(trainee)
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert Notification.objects.filter(dedupe_key="reminder-1").count() == 1


@pytest.mark.django_db
def test_email_is_rendered_from_text_and_html_templates(trainee):
    notification, _ = _create(trainee, link="/inbox/")
    assert notification_deliver(notification_id=notification.pk) == "sent"
    (message,) = mail.outbox
    assert message.subject == "Your session is tomorrow"
    assert "See you at noon." in message.body
    assert message.alternatives[0][1] == "text/html"
    assert "<a href=" in message.alternatives[0][0]
    notification.refresh_from_db()
    assert notification.sent_at is not None and notification.attempts == 1


@pytest.mark.django_db
def test_a_notification_due_later_is_not_sent_early(trainee):
    notification, _ = _create(trainee, due_at=timezone.now() + datetime.timedelta(hours=2))
    assert notifications_sweep() == 0
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.sent_at is None


@pytest.mark.django_db
def test_failed_sending_is_recorded_with_backoff_then_marked_failed(trainee, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens on port 9
    settings.PEERS_NOTIFICATION_MAX_ATTEMPTS = 2
    notification, _ = _create(trainee)
    assert notification_deliver(notification_id=notification.pk) == "retry"
    notification.refresh_from_db()
    assert notification.attempts == 1
    assert "refused" in notification.last_error.lower() or "Error" in notification.last_error
    assert notification.next_attempt_at > timezone.now()
    assert notification_deliver(notification_id=notification.pk) == "skipped"  # still backing off
    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
    assert notification_deliver(notification_id=notification.pk) == "failed"
    notification.refresh_from_db()
    assert notification.failed_at is not None and notification.status == "failed"


@pytest.mark.django_db
def test_in_app_notification_needs_no_mail(trainee):
    notification, _ = _create(trainee, channel=Channel.IN_APP)
    assert notifications_sweep() == 1
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_time_send_each_notification_once(settings):
    """Both sweeps run on their own database connections; each row is locked by one."""
    user = UserFactory()
    for number in range(40):
        _create(user, key=f"k{number}")
    totals = run_concurrently(notifications_sweep, notifications_sweep, timeout=60)
    assert sum(totals) == 40
    assert len(mail.outbox) == 40
    assert len({m.extra_headers["X-PEERS-Notification"] for m in mail.outbox}) == 40
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0


@pytest.mark.django_db(transaction=True)
def test_rows_a_batch_is_still_claiming_are_not_claimed_again():
    """The first claimer holds its transaction open (as a slow commit would); the
    second, meanwhile, must get none of its rows, not the same rows to send twice."""
    user = UserFactory()
    for number in range(5):
        _create(user, key=f"k{number}")
    claimed, second_done = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            batch = notifications_claim_batch(size=10)
            claimed.set()
            second_done.wait(5)  # without the row lock the second claimer waits here
        return {row.pk for row in batch}

    def second():
        claimed.wait(30)
        try:
            return {row.pk for row in notifications_claim_batch(size=10)}
        finally:
            second_done.set()

    first_rows, second_rows = run_concurrently(first, second, timeout=60)
    assert len(first_rows) == 5
    assert second_rows == set()


@pytest.mark.django_db(transaction=True)
def test_delivery_is_queued_on_redis_only_after_commit(trainee):
    broker = redis.Redis.from_url(settings.REDIS_URL)
    broker.delete("celery")

    with transaction.atomic():
        notification, _ = _create(trainee)
        assert broker.llen("celery") == 0  # nothing queued before the row is committed
    assert broker.llen("celery") == 1
    message = json.loads(broker.lindex("celery", 0))
    assert message["headers"]["task"] == "peers.tasks.notification_deliver_task"
    assert message["headers"]["argsrepr"] == f"({notification.pk},)"
    broker.delete("celery")


@pytest.mark.django_db
def test_apostrophes_and_ampersands_arrive_as_written(trainee):
    notification, _ = notification_create(
        recipient=trainee,
        kind="test",
        dedupe_key="quotes",
        template="generic",
        context={"subject": "Don't miss Q&A", "message": "You're booked <b>today</b>."},
    )
    assert notification.subject == "Don't miss Q&A"
    assert "You're booked <b>today</b>." in notification.body  # plain text, as written
    assert "&lt;b&gt;" in notification.body_html  # and escaped where it is HTML


@pytest.mark.django_db
def test_a_mail_server_down_for_two_hours_fails_no_notification(trainee, settings):
    """Backing off (capped at an hour) for two hours is ten attempts or so; the row gives
    up only after the give-up window (24 hours) or the last attempt (48 by default)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens on port 9
    notification, _ = _create(trainee)
    start = timezone.now()
    for minutes in range(0, 121, 5):
        with time_machine.travel(start + datetime.timedelta(minutes=minutes)):
            notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.failed_at is None and notification.attempts >= 6
    with time_machine.travel(start + datetime.timedelta(hours=25)):
        assert notification_deliver(notification_id=notification.pk) == "failed"
