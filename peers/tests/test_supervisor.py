"""The supervisor behind `make run`: a child that dies is started again, with a delay
that doubles, and a line that says so; stopping stops every child."""

import io
import signal
import sys
import time

from peers.supervisor import Child, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def _poll_until(supervisor: Supervisor, condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        supervisor.poll()
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("the supervisor did not get there in time")


def test_a_child_that_dies_is_restarted_with_a_doubling_delay_and_a_clear_line():
    out = io.StringIO()
    supervisor = Supervisor(out=out)
    child = Child("sleeper", SLEEPER)
    supervisor.start(child)
    try:
        first = child.process.pid
        child.process.send_signal(signal.SIGKILL)
        _poll_until(supervisor, lambda: child.restarts == 1 and child.process.pid != first)
        assert "sleeper exited with code -9; restarting in 1 s" in out.getvalue()
        second = child.process.pid
        child.process.send_signal(signal.SIGKILL)
        _poll_until(supervisor, lambda: child.restarts == 2 and child.process.pid != second)
        assert "sleeper exited with code -9; restarting in 2 s" in out.getvalue()
        assert child.process.poll() is None  # running again
    finally:
        supervisor.stop_all()
    assert child.process.poll() is not None


def test_stopping_stops_every_child_and_restarts_none():
    supervisor = Supervisor(out=io.StringIO())
    children = [Child(f"child-{n}", SLEEPER) for n in range(3)]
    for child in children:
        supervisor.start(child)
    supervisor.stop_all(timeout=5)
    supervisor.poll()
    assert all(child.process.poll() is not None for child in children)
    assert all(child.restart_at is None for child in children)
