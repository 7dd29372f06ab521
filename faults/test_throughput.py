"""Background throughput: a backlog of 10,000 due notifications (a mail server back
after an outage) is delivered by two worker processes to a local SMTP server in under
60 s, each message once: batches claimed with SKIP LOCKED, one SMTP connection per
batch (peers/services/notifications.py)."""

import time

from faults.stack import act, assert_each_sent_once, unsent
from peers.testing.processes import wait_for

BACKLOG = 10_000


def test_ten_thousand_due_notifications_are_sent_once_in_under_a_minute(fresh, capsys):
    stack, processes = fresh, fresh["processes"]
    act(stack, f"backlog({BACKLOG})")
    assert unsent(stack) == BACKLOG
    started = time.monotonic()
    processes.worker(concurrency=2)
    processes.beat()
    wait_for(lambda: unsent(stack) == 0, 60, f"{unsent(stack)} of {BACKLOG} still unsent\n" + processes.logs())
    elapsed = time.monotonic() - started
    time.sleep(2)  # a duplicate, if any, would arrive now
    assert_each_sent_once(stack)
    with capsys.disabled():
        print(f"\n{BACKLOG} notifications by two worker processes: {elapsed:.1f} s ({BACKLOG / elapsed:.0f}/s)")
    assert stack["sink"].connections < BACKLOG / 20  # connections are reused across each batch
