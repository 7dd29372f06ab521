"""The fault suite: real PostgreSQL, Redis, Celery worker and beat processes, broken
on purpose (the stack is in faults/conftest.py). Every case counts what the SMTP server
received, per notification, and looks at what a person's pages answer during the fault."""

import statistics
import time

import pytest

from faults.stack import (
    SWEEP_INTERVAL,
    act,
    act_json,
    assert_each_sent_once,
    get,
    health,
    post,
    support_details,
    unsent,
)
from faults.stack import count as _count
from peers.testing.processes import wait_for

pytestmark = pytest.mark.faults


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
    report = health(stack["port"])  # what monitoring sees; the pages are in the case below
    assert report["broker"].startswith("error") and report["database"] == "ok" and report["status"] == "error"
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
    assert health(stack["port"])["database"] == "ok"  # the web answers while no worker runs
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
    recipient = act_json(stack, "signed_in('faults@example.edu')")
    wait_for(
        lambda: stack["postgres"].query("SELECT count(*) FROM peers_notification WHERE attempts >= 2")[0][0] == 4,
        60,
        "no retries\n" + processes.logs(),
    )
    report, failed = health(stack["port"]), _failed(stack)  # read in this order: rows only ever become failed
    assert report["failed_notifications_last_day"] <= failed < 4  # retrying is not failing
    status, inbox = get(stack["port"], "/inbox/", recipient)
    assert status == 200 and all(f"Fault test {n}" in inbox for n in range(4))  # the person still reads them
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
    report = health(stack["port"])
    assert report["failed_notifications_last_day"] == 4 and report["status"] == "error"  # someone must look
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
    """While PostgreSQL is down the web answers 503 in plain words, never 500; once it
    is back the same booking succeeds once and the same worker delivers."""
    stack, processes, port = fresh, fresh["processes"], fresh["port"]
    worker = processes.worker()
    processes.beat()
    made = act_json(stack, "seat_support_and_inbox()")
    act(stack, "notifications(5, 'before')")
    wait_for(lambda: unsent(stack) == 0, 60, "nothing sent before the restart\n" + processes.logs())
    stack["postgres"].stop()
    status, page = get(port, "/support/")
    assert status == 503 and "We could not open this page just now" in page and "emergency" in page
    status, page = post(port, f"/sessions/{made['session']}/book/", {}, made["trainee"])  # signed in
    assert status == 503 and "We could not save this just now" in page and "Traceback" not in page
    assert health(port)["database"].startswith("error")
    stack["postgres"].start()
    status, page = post(port, f"/sessions/{made['session']}/book/", {}, made["trainee"])
    assert status == 200 and "You're booked." in page
    time.sleep(1)
    act(stack, "notifications(5, 'after')")
    wait_for(lambda: unsent(stack) == 0, 60, "the worker did not recover\n" + processes.logs())
    assert worker.poll() is None  # the same worker process, never restarted
    assert_each_sent_once(stack)
    assert _count(stack, "booking_confirmed") == 1


def _failed(stack) -> int:
    return stack["postgres"].query("SELECT count(*) FROM peers_notification WHERE failed_at IS NOT NULL")[0][0]


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


def test_with_redis_stopped_no_page_fails_limits_hold_and_cron_sweeps_deliver(fresh):
    """Redis is the broker only: sign-in stays limited, the support intake records the
    request and shows the crisis resources, /healthz names what is degraded, and
    `run_sweeps` from cron delivers what falls due, all while Redis is down."""
    stack, processes, port = fresh, fresh["processes"], fresh["port"]
    program_id = int(act(stack, "support_program()").strip().splitlines()[-1])
    stack["redis"].stop()

    report = wait_for(lambda: health(port), 60, "the web to answer\n" + processes.logs())
    assert report["database"] == "ok" and report["broker"].startswith("error")

    attempts = [post(port, "/accounts/login/", {"login": "someone@example.edu", "password": "wrong"}) for _ in range(7)]
    assert all(status < 500 for status, _ in attempts), [status for status, _ in attempts]
    assert "Too many failed" in attempts[-1][1]

    requests = lambda: stack["postgres"].query("SELECT count(*) FROM support_requests_supportrequest")[0][0]  # noqa: E731
    before = requests()
    status, page = post(port, "/support/", support_details(program_id))
    assert status == 200 and "We've received your request" in page and "Fault Crisis Line" in page
    assert requests() == before + 1

    act(stack, "notifications(5, 'cron')")
    processes.manage("run_sweeps")
    assert unsent(stack) == 0 and stack["sink"].total() >= 5  # delivered by cron, without the broker
    assert_each_sent_once(stack)
