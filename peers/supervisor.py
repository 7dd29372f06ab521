"""A small process supervisor: start children, restart any that dies, stop them all.

`make run` (peers/run.py) uses it for the embedded PostgreSQL and Redis, gunicorn, the
Celery worker and beat. A child that exits is started again after a delay that doubles
from 1 second up to 30 (and resets once a child has stayed up for a minute), with one
clear line per event. Children run in their own process groups, so a Ctrl-C reaches
only the supervisor, which then stops them in reverse order of start.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

FIRST_DELAY, MAX_DELAY, STABLE_AFTER = 1.0, 30.0, 60.0


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    cwd: str | None = None
    user: str | None = None  # run as this system user (PostgreSQL refuses to run as root)
    ready: Callable[[], bool] | None = None  # polled after each start
    stop_signal: int = signal.SIGTERM
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    delay: float = FIRST_DELAY
    restart_at: float | None = None
    restarts: int = 0


class Supervisor:
    def __init__(self, *, out=None) -> None:
        self.children: list[Child] = []
        self.out = out or sys.stdout
        self.stopping = False

    def say(self, text: str) -> None:
        print(f"[supervisor] {text}", file=self.out, flush=True)

    def start(self, child: Child, *, ready_timeout: float = 60.0) -> None:
        """Start a child and wait until it is ready (when it says how to tell)."""
        if child not in self.children:
            self.children.append(child)
        child.process = subprocess.Popen(
            child.argv, env=child.env, cwd=child.cwd, user=child.user, start_new_session=True
        )
        child.started_at, child.restart_at = time.monotonic(), None
        if child.ready is not None:
            self._wait_ready(child, ready_timeout)

    def _wait_ready(self, child: Child, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if child.process.poll() is not None:
                return  # died while starting: the next poll restarts it
            try:
                if child.ready():
                    return
            except Exception:  # not yet
                pass
            time.sleep(0.2)
        self.say(f"{child.name} is not ready after {timeout:.0f} s; going on")

    def poll(self) -> None:
        """One round: notice children that died, restart those whose delay is over."""
        now = time.monotonic()
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.restarts += 1
                    self.say(f"restarting {child.name} (restart {child.restarts})")
                    self.start(child)
                continue
            code = child.process.poll() if child.process else None
            if code is None or self.stopping:
                continue
            if now - child.started_at >= STABLE_AFTER:
                child.delay = FIRST_DELAY
            self.say(f"{child.name} exited with code {code}; restarting in {child.delay:.0f} s")
            child.restart_at = now + child.delay
            child.delay = min(child.delay * 2, MAX_DELAY)

    def run_forever(self, interval: float = 0.5) -> None:
        while True:
            self.poll()
            time.sleep(interval)

    def stop_all(self, timeout: float = 20.0) -> None:
        """Stop children in reverse order of start: the servers they use go last."""
        self.stopping = True
        for child in reversed(self.children):
            process = child.process
            if process is None or process.poll() is not None:
                continue
            process.send_signal(child.stop_signal)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.say(f"{child.name} did not stop in {timeout:.0f} s; killing it")
                process.kill()
                process.wait()
