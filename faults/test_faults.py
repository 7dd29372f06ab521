"""The fault suite: real PostgreSQL, Redis, Celery worker and beat processes, broken
on purpose. Every case counts what the SMTP server received, per notification.

The suite has its own PostgreSQL (restartable) and Redis (stoppable) and talks to
them only through processes and SQL, never through the test process's Django
connections. Sweeps run every second here (PEERS_SWEEP_INTERVAL_SECONDS=1).
"""

import os
import statistics
import time

import pytest

from peers.testing.processes import Postgres, Processes, Redis, wait_for
from peers.testing.smtp_sink import SmtpSink

pytestmark = pytest.mark.faults
SWEEP_INTERVAL = 1


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    root = tmp_path_factory.mktemp("faults")
    postgres = Postgres(root / "pg")
    broker = Redis(root)
    sink = SmtpSink()
    env = {
        **{k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "XDG_RUNTIME_DIR", "LANG"}},
        "DATABASE_URL": postgres.url,
        "REDIS_URL": broker.url,
        "PEERS_DATA_DIR": str(root / "data"),
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "EMAIL_TIMEOUT_SECONDS": "2",
        "PEERS_SWEEP_INTERVAL_SECONDS": str(SWEEP_INTERVAL),
        "PEERS_NOTIFICATION_BACKOFF_SECONDS": "1",
        "PEERS_NOTIFICATION_MAX_ATTEMPTS": "4",
        "DJANGO_DEBUG": "true",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    processes = Processes(env, root)
    processes.manage("migrate", "--verbosity", "0")
    yield {"postgres": postgres, "redis": broker, "sink": sink, "processes": processes, "root": root}
    processes.stop_all()
    broker.stop()
    sink.close()
    postgres.close()


@pytest.fixture
def fresh(stack):
    """Each case starts with no notifications, an accepting SMTP server and no processes."""
    stack["postgres"].query("DELETE FROM peers_notification RETURNING 1")
    stack["sink"].received.clear()
    stack["sink"].mode, stack["sink"].delay = "accept", 0.0
    if not stack["redis"].ping():
        stack["redis"].start()
    yield stack
    stack["processes"].stop_all()


def act(stack, code: str) -> None:
    stack["processes"].manage("shell", "-c", f"from faults import actions; actions.{code}")


def unsent(stack) -> int:
    return stack["postgres"].query("SELECT count(*) FROM peers_notification WHERE sent_at IS NULL")[0][0]


def total(stack) -> int:
    return stack["postgres"].query("SELECT count(*) FROM peers_notification")[0][0]


def assert_each_sent_once(stack) -> None:
    ids = {str(row[0]) for row in stack["postgres"].query("SELECT id FROM peers_notification")}
    received = stack["sink"].received
    assert set(received) == ids, f"missing: {ids - set(received)}, unexpected: {set(received) - ids}"
    assert stack["sink"].duplicates() == 0, {k: v for k, v in received.items() if v > 1}


def _count(stack, kind: str) -> int:
    return stack["postgres"].query("SELECT count(*) FROM peers_notification WHERE kind = %s", (kind,))[0][0]


def test_redis_outage_loses_nothing_and_sends_nothing_twice(fresh):
    """Notifications, session reminders, a mentee's unanswered text and an overdue
    support request all fall due while Redis is down."""
    stack, processes = fresh, fresh["processes"]
    processes.worker()
    processes.beat()
    stack["redis"].stop()
    act(stack, "notifications(15, 'outage')")  # due now; queuing fails, the rows wait
    act(stack, "session_with_bookings(5, starts_in_hours=3)")  # reminders fall due while Redis is down
    act(stack, "mentee_contact_overdue()")
    act(stack, "support_request_overdue()")
    time.sleep(3)
    assert stack["sink"].total() == 0
    stack["redis"].start()
    wait_for(
        lambda: (
            unsent(stack) == 0
            and _count(stack, "session_reminder") == 5
            and _count(stack, "contact_overdue") == 2
            and _count(stack, "support_due") == 1
        ),
        60,
        "everything due was not sent after Redis came back\n" + processes.logs(),
    )
    time.sleep(2)  # a duplicate, if any, would arrive now
    assert unsent(stack) == 0
    assert_each_sent_once(stack)
    assert _count(stack, "fault_test") == 15 and _count(stack, "booking_confirmed") == 5


def test_worker_killed_mid_send_loses_nothing_and_duplicates_are_bounded(fresh, capsys):
    """A message the SMTP server accepted just before the worker died, whose row was
    not yet marked sent, is sent again: at-least-once at the transport. The suite
    counts such duplicates and bounds them by the worker's concurrency."""
    stack, processes = fresh, fresh["processes"]
    stack["sink"].delay = 0.4
    act(stack, "notifications(30, 'kill')")
    processes.beat()
    worker = processes.worker(concurrency=2)
    wait_for(lambda: stack["sink"].total() >= 5, 60, "the worker sent nothing\n" + processes.logs())
    processes.kill(worker)
    processes.worker(concurrency=2)
    wait_for(lambda: unsent(stack) == 0, 90, "not everything was sent after the kill\n" + processes.logs())
    ids = {str(row[0]) for row in stack["postgres"].query("SELECT id FROM peers_notification")}
    assert ids <= set(stack["sink"].received)
    with capsys.disabled():
        print(f"\nworker killed mid-send: {len(ids)} notifications, {stack['sink'].duplicates()} sent twice")
    assert stack["sink"].duplicates() <= 2, stack["sink"].received


def test_two_beat_schedulers_send_nothing_twice(fresh):
    """Two beats each start a sweep every second; with a slow mail server the sweeps
    overlap on four worker processes, all reaching for the same due rows."""
    stack, processes = fresh, fresh["processes"]
    stack["sink"].delay = 0.1
    processes.worker(concurrency=4)
    processes.beat()
    processes.beat()
    act(stack, "notifications(60, 'twobeats', due_in_seconds=2)")  # all due at once, left to the sweeps
    wait_for(lambda: unsent(stack) == 0, 60, "not everything was sent\n" + processes.logs())
    time.sleep(3)  # let any duplicate sweep finish
    assert_each_sent_once(stack)
    assert stack["sink"].total() == 60


def test_a_refusing_then_silent_mail_server_is_retried_recorded_and_loses_nothing(fresh):
    stack, processes = fresh, fresh["processes"]
    stack["sink"].mode = "refuse"
    processes.worker()
    processes.beat()
    act(stack, "notifications(4, 'refused')")
    wait_for(
        lambda: stack["postgres"].query("SELECT count(*) FROM peers_notification WHERE attempts >= 2")[0][0] == 4,
        60,
        "no retries\n" + processes.logs(),
    )
    rows = stack["postgres"].query("SELECT last_error, next_attempt_at > now(), sent_at FROM peers_notification")
    assert all("554" in error or "Service unavailable" in error for error, _, _ in rows), rows
    assert all(sent is None for _, _, sent in rows)
    wait_for(
        lambda: (
            stack["postgres"].query("SELECT count(*) FROM peers_notification WHERE failed_at IS NOT NULL")[0][0] == 4
        ),
        60,
        "the rows were not marked failed after the last attempt",
    )
    stack["sink"].mode = "stall"  # a server that accepts the connection and says nothing
    act(stack, "notifications(2, 'stalled')")
    wait_for(
        lambda: (
            stack["postgres"].query("SELECT count(*) FROM peers_notification WHERE last_error ILIKE '%%timed out%%'")[
                0
            ][0]
            >= 1
        ),
        60,
        "a stalled server's timeout was not recorded",
    )
    stack["sink"].mode = "accept"
    act(stack, "retry_failed()")  # what the admin action does
    wait_for(lambda: unsent(stack) == 0, 60, "not everything was sent once the server was back\n" + processes.logs())
    assert_each_sent_once(stack)


def test_the_worker_recovers_from_a_postgresql_restart_without_its_own(fresh):
    stack, processes = fresh, fresh["processes"]
    worker = processes.worker()
    processes.beat()
    act(stack, "notifications(5, 'before')")
    wait_for(lambda: unsent(stack) == 0, 60, "nothing sent before the restart\n" + processes.logs())
    stack["postgres"].restart()
    time.sleep(2)
    act(stack, "notifications(5, 'after')")
    wait_for(lambda: unsent(stack) == 0, 60, "the worker did not recover\n" + processes.logs())
    assert worker.poll() is None  # the same worker process, never restarted
    assert_each_sent_once(stack)


def test_delivery_latency_stays_within_two_sweep_intervals(fresh, capsys):
    stack, processes = fresh, fresh["processes"]
    processes.worker()
    processes.beat()
    time.sleep(3)  # running normally
    act(stack, "notifications(40, 'latency', due_in_seconds=3, spread_seconds=8)")
    wait_for(lambda: unsent(stack) == 0, 60, "not everything was sent\n" + processes.logs())
    delays = sorted(
        row[0] for row in stack["postgres"].query("SELECT extract(epoch FROM sent_at - due_at) FROM peers_notification")
    )
    median = statistics.median(delays)
    p95 = delays[int(0.95 * (len(delays) - 1))]
    with capsys.disabled():
        print(f"\ndelivery latency with a {SWEEP_INTERVAL} s sweep: median {median:.2f} s, p95 {p95:.2f} s")
    assert p95 <= 2 * SWEEP_INTERVAL


def _post(port: int, path: str, data: dict) -> tuple[int, str]:
    """A form POST as a browser would send it (CSRF cookie and field), without a session."""
    import secrets
    import urllib.error
    import urllib.parse
    import urllib.request

    csrf = secrets.token_hex(16)
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=urllib.parse.urlencode({**data, "csrfmiddlewaretoken": csrf}).encode(),
        headers={"Cookie": f"csrftoken={csrf}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_with_redis_stopped_no_page_fails_limits_hold_and_cron_sweeps_deliver(fresh):
    """Redis is the broker only: sign-in stays limited, the support intake records the
    request and shows the crisis resources, /healthz names what is degraded, and
    `run_sweeps` from cron delivers what falls due, all while Redis is down."""
    import json
    import socket
    import sys
    import urllib.error
    import urllib.request

    stack, processes = fresh, fresh["processes"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    processes._spawn("web", [sys.executable, "-m", "gunicorn", "peers.wsgi", "--bind", f"127.0.0.1:{port}"])
    program = processes.manage("shell", "-c", "from faults import actions; actions.support_program()")
    program_id = int(program.strip().splitlines()[-1])
    stack["redis"].stop()

    def health():
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
        except urllib.error.HTTPError as error:
            return json.load(error)
        except OSError:
            return None

    report = wait_for(health, 60, "the web to answer\n" + processes.logs())
    assert report["database"] == "ok" and report["broker"].startswith("error")

    attempts = [
        _post(port, "/accounts/login/", {"login": "someone@example.edu", "password": "wrong"}) for _ in range(7)
    ]
    assert all(status < 500 for status, _ in attempts), [status for status, _ in attempts]
    assert "Too many failed" in attempts[-1][1]

    no = {"self_harm": "no", "substance": "no", "mental_health": "no", "medical_advice": "no"}
    details = {
        **no,
        **{"program": program_id, "step": "details", "reason": "burnout", "urgency": "this_week"},
        **{"description": "A hard week.", "contact_method": "email", "contact_details": "me@private.example"},
    }
    requests = lambda: stack["postgres"].query("SELECT count(*) FROM support_requests_supportrequest")[0][0]  # noqa: E731
    before = requests()
    status, page = _post(port, "/support/", details)
    assert status == 200 and "We've received your request" in page and "Fault Crisis Line" in page
    assert requests() == before + 1

    act(stack, "notifications(5, 'cron')")
    processes.manage("run_sweeps")
    assert unsent(stack) == 0 and stack["sink"].total() >= 5  # delivered by cron, without the broker
    assert_each_sent_once(stack)
