"""`make guards`: remove each guard in turn and expect its tests to fail.

A guard is a lock, a claim, a check or a scope that a guarantee rests on. For each one
in peers/testing/guard_list.py, the script replaces the guard's code with a version without it (the text must
appear exactly once, so a guard that moved fails loudly here until this list is
updated), runs the tests named for it, and puts the code back. A guard whose removal
leaves its tests green is reported, and the script exits non-zero.

    python -m peers.testing.guards            # all
    python -m peers.testing.guards NAME...    # some
"""

import os
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from peers import embedded
from peers.testing.guard_list import GUARDS, Guard

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _schema_args(guard: Guard) -> tuple[str, ...]:
    return ("--create-db",) if guard.fresh_schema else ()


def _environment(guard: Guard) -> dict[str, str]:
    if not guard.fresh_schema:
        return dict(os.environ)
    url = os.environ.get("DATABASE_URL") or embedded.postgres_url(keep_running=True)
    parts = urllib.parse.urlsplit(url)
    return {**os.environ, "DATABASE_URL": urllib.parse.urlunsplit(parts._replace(path="/peers_guards"))}


def check(guard: Guard) -> tuple[bool, str]:
    """Remove the guard, run its tests, restore. Returns (caught, message)."""
    path = BASE_DIR / guard.path
    original = path.read_text()
    if original.count(guard.guarded) != 1:
        return False, f"the guarded code was not found exactly once in {guard.path}: update this list"
    try:
        path.write_text(original.replace(guard.guarded, guard.unguarded))
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly", *_schema_args(guard), *guard.tests],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            env=_environment(guard),
        )
    finally:
        path.write_text(original)
    if result.returncode == 0:
        return False, "its tests stayed green without it"
    if result.returncode != 1:  # 1 = tests failed; anything else is an error running them
        output = result.stdout[-2000:] + result.stderr[-2000:]
        return False, f"pytest could not run (exit {result.returncode}):\n{output}"
    return True, "caught"


def main(names: list[str]) -> int:
    chosen = [guard for guard in GUARDS if not names or guard.name in names]
    unnoticed = []
    for guard in chosen:
        started = time.monotonic()
        caught, message = check(guard)
        took = time.monotonic() - started
        print(f"{'ok  ' if caught else 'FAIL'} {guard.name}: {message} ({took:.0f} s)", flush=True)
        if not caught:
            unnoticed.append(guard.name)
    print(f"{len(chosen) - len(unnoticed)} guards caught, {len(unnoticed)} unnoticed")
    return 1 if unnoticed else 0


def _stop(signum: int, frame) -> None:
    """SIGTERM (a CI timeout, a killed job) unwinds like Ctrl-C, so the guard being
    checked is written back before the process ends."""
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop)
    sys.exit(main(sys.argv[1:]))
