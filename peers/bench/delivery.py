"""Time a backlog of due notifications delivered by two worker processes (a Celery worker
with two children, and beat to start the delivery sweep, as in production) to a local
SMTP sink (peers.testing.smtp_sink, the one faults/test_throughput.py uses), on the
benchmark's database, and check each was received once.

    DATABASE_URL=…/peers_bench REDIS_URL=… python -m peers.bench.delivery [COUNT]

The rows are the benchmark's own (dedupe keys `bench-delivery-…`), deleted afterwards;
anything else due on the database is delivered with them and counted apart.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

BASE_DIR = Path(__file__).resolve().parent.parent.parent
KEY = "bench-delivery-"
COUNT = 10_000
TIMEOUT = 180


def backlog(count: int) -> None:
    """`count` notifications due now to one person, as after a mail outage."""
    from django.utils import timezone

    from peers.models import Notification, User

    Notification.objects.filter(dedupe_key__startswith=KEY).delete()
    recipient = User.objects.order_by("pk").first()
    now = timezone.now()
    Notification.objects.bulk_create(
        (
            Notification(
                recipient=recipient,
                kind="bench_delivery",
                dedupe_key=f"{KEY}{n}",
                subject=f"Benchmark delivery {n}",
                body="hello\n",
                due_at=now,
            )
            for n in range(count)
        ),
        batch_size=5000,
    )


def unsent() -> int:
    from peers.models import Notification

    return Notification.objects.filter(dedupe_key__startswith=KEY, sent_at__isnull=True).count()


def run(count: int = COUNT) -> dict:
    """Insert the backlog, start the worker and beat, wait until every row is sent;
    returns the seconds, what the sink received, and duplicates of the backlog's rows."""
    from django.db import connection

    from peers.models import Notification
    from peers.tasks import sweeps_run_task
    from peers.testing.processes import Processes, wait_for
    from peers.testing.smtp_sink import SmtpSink

    if not connection.settings_dict["NAME"].endswith("_bench"):
        raise SystemExit("peers.bench.delivery runs only on the benchmark's database (*_bench).")
    backlog(count)
    sink = SmtpSink()
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}", "PEERS_QUIET_HOURS": "off"}
    # Production's interval: sweeps every second (as the fault suite runs them on its empty
    # database) would each take a worker process for a second or more on this data and
    # leave the drains queued behind them.
    env["PEERS_SWEEP_INTERVAL_SECONDS"] = "60"
    processes = Processes(env, Path(tempfile.mkdtemp(prefix="peers-bench-delivery-")))
    purge(env)  # tasks a run cut short left queued would take the workers first
    try:
        started = time.monotonic()
        processes.worker(concurrency=2)
        processes.beat()
        sweeps_run_task.delay()  # beat's first tick comes after a whole interval
        wait_for(lambda: unsent() == 0, TIMEOUT, f"{unsent()} of {count} still unsent\n" + processes.logs())
        elapsed = time.monotonic() - started
        time.sleep(2)  # a duplicate, if any, would arrive now
    finally:
        processes.stop_all()
        sink.close()
        purge(env)
    ids = {str(pk) for pk in Notification.objects.filter(dedupe_key__startswith=KEY).values_list("pk", flat=True)}
    received = dict(sink.received)
    Notification.objects.filter(dedupe_key__startswith=KEY).delete()
    return {
        "count": count,
        "seconds": elapsed,
        "missing": len(ids - set(received)),
        "duplicates": sum(received.get(pk, 0) - 1 for pk in ids if received.get(pk, 0) > 1),
        "others": sum(n for pk, n in received.items() if pk not in ids),
        "connections": sink.connections,
    }


def purge(env: dict[str, str]) -> None:
    """Empty the broker's queue (the benchmark's Redis) of tasks waiting from an earlier run."""
    command = [sys.executable, "-m", "celery", "-A", "peers", "purge", "-f"]
    subprocess.run(command, env=env, cwd=BASE_DIR, check=True, capture_output=True, timeout=120)


def report(result: dict) -> str:
    rate = result["count"] / result["seconds"] if result["seconds"] else 0
    return (
        f"{result['count']:,} due notifications by two worker processes: {result['seconds']:.1f} s ({rate:.0f}/s), "
        f"{result['missing']} missing, {result['duplicates']} twice, over {result['connections']} SMTP connections"
        + (f" (and {result['others']} others that were due)" if result["others"] else "")
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peers.settings")
    django.setup()
    outcome = run(int(sys.argv[1]) if len(sys.argv) > 1 else COUNT)
    print(report(outcome), flush=True)
    sys.exit(1 if outcome["missing"] or outcome["duplicates"] else 0)
