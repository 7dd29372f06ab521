"""What /healthz reports: nothing confidential, only whether the machinery runs."""

import datetime

import redis
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from peers import registry
from peers.models import Heartbeat, Notification
from peers.services.sweeps import SWEEPS_HEARTBEAT


def _age(moment: datetime.datetime | None) -> float | None:
    return None if moment is None else round((timezone.now() - moment).total_seconds(), 1)


def _database_writes_to_disk() -> None:
    """On a full disk SELECT 1 still answers while every write needing a new page fails: a
    sort too big for a tiny work_mem spills about 300 kB to a temporary file on the
    database's own disk, and fails with "No space left on device" there."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64kB'")
        cursor.execute("SELECT count(*) FROM (SELECT g FROM generate_series(1, 20000) g ORDER BY g DESC OFFSET 0) s")
        cursor.execute("SET LOCAL work_mem TO DEFAULT")


def _apps_checks(report: dict) -> bool:
    """Each app's registered checks (peers.registry.register_health_check), into the report."""
    ok = True
    for name, check in registry.health_checks.items():
        report[name], passed = check()
        ok = ok and passed
    return ok


def health_report() -> tuple[dict, bool]:
    """Database and broker reachable, sweeps recently run, nothing due left unsent for long."""
    report: dict = {}
    try:
        _database_writes_to_disk()
        report["database"] = "ok"
    except Exception as exc:  # reported, not raised: this page exists to say what is wrong
        report["database"] = f"error: {type(exc).__name__}"
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
        report["broker"] = "ok"
    except Exception as exc:
        report["broker"] = f"error: {type(exc).__name__}"
    if report["database"] == "ok":
        beat = Heartbeat.objects.filter(name=SWEEPS_HEARTBEAT).values_list("at", flat=True).first()
        # Rows backing off after a failed attempt count: a failing mail server must show.
        oldest = Notification.objects.owed().order_by("due_at").values_list("due_at", flat=True).first()
        failed_since = timezone.now() - datetime.timedelta(days=1)
        report["failed_notifications_last_day"] = Notification.objects.filter(failed_at__gte=failed_since).count()
        report["last_sweep_age_seconds"] = _age(beat)
        report["oldest_unsent_notification_age_seconds"] = _age(oldest)
    apps_ok = _apps_checks(report) if report["database"] == "ok" else True
    limit = 3 * settings.PEERS_SWEEP_INTERVAL_SECONDS
    healthy = (
        report["database"] == "ok"
        and report["broker"] == "ok"
        and report.get("last_sweep_age_seconds") is not None
        and report["last_sweep_age_seconds"] <= limit
        and (report["oldest_unsent_notification_age_seconds"] or 0) <= limit
        and report["failed_notifications_last_day"] == 0  # given up on: someone must look
        and apps_ok
    )
    report["status"] = "ok" if healthy else "error"
    return report, healthy
