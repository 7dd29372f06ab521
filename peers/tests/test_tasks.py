"""The real path: a committed notification is queued on Redis and a Celery worker
process sends it."""

import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection

from peers import registry
from peers.celery import app
from peers.models import Heartbeat, Notification
from peers.services.notifications import notification_create
from peers.services.sweeps import sweeps_run
from peers.tests.factories import UserFactory


def _database_url() -> str:
    db = connection.settings_dict
    host = urllib.parse.quote(db["HOST"], safe="") if db["HOST"].startswith("/") else db["HOST"]
    port = f":{db['PORT']}" if db["PORT"] else ""
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


def _wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_delivers_a_committed_notification(tmp_path: Path):
    redis.Redis.from_url(settings.REDIS_URL).delete("celery")
    user = UserFactory(email="worker.test@example.edu")
    notification, _ = notification_create(
        recipient=user,
        kind="test",
        dedupe_key="worker-1",
        template="generic",
        context={"subject": "Delivered by the worker", "message": "hello"},
    )
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": f"filemail://{tmp_path}",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "peers", "worker", "--pool", "solo", "--loglevel", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        sent = _wait_for(lambda: Notification.objects.filter(pk=notification.pk, sent_at__isnull=False).exists(), 60)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert sent, output
    (mail_file,) = list(tmp_path.iterdir())
    assert "Delivered by the worker" in mail_file.read_text()


@pytest.mark.django_db
def test_run_sweeps_command_delivers_what_is_due(capsys):
    user = UserFactory()
    for n in range(3):
        notification_create(
            recipient=user,
            kind="test",
            dedupe_key=f"sweep-{n}",
            template="generic",
            context={"subject": "s", "message": "m"},
        )
    call_command("run_sweeps")
    assert "notifications: 3" in capsys.readouterr().out
    assert len(mail.outbox) == 3
    call_command("run_sweeps")
    assert len(mail.outbox) == 3


def test_worker_settings_survive_a_killed_worker():
    """A task is acknowledged only after it ran, and requeued if the worker dies."""

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.beat_schedule["run-sweeps"]["task"] == "peers.tasks.sweeps_run_task"


@pytest.mark.django_db
def test_a_failing_sweep_does_not_stop_the_others_nor_refresh_the_heartbeat(monkeypatch):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setitem(registry.sweeps, "broken", broken)
    results = sweeps_run()
    assert results["broken"] == "error: boom"
    assert results["notifications"] == 0  # the others still ran
    assert not Heartbeat.objects.exists()
    monkeypatch.delitem(registry.sweeps, "broken")
    sweeps_run()
    assert Heartbeat.objects.count() == 1
