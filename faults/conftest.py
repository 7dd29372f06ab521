"""The fault suite's stack, shared by its modules: its own PostgreSQL (restartable, its
data on a small disk of its own that a case may fill) and Redis (stoppable), an SMTP
server it controls, and a gunicorn that stays up through every fault.

The suite talks to these only through processes, HTTP and SQL, never through the test
process's Django connections. Sweeps run every second here (PEERS_SWEEP_INTERVAL_SECONDS=1).
"""

import os
import subprocess
from pathlib import Path

import pytest

from faults.stack import SWEEP_INTERVAL, start_web
from peers.testing.processes import Postgres, Processes, Redis
from peers.testing.smtp_sink import SmtpSink

DISK_MB = 192  # the suite's database takes about 60 MB of it


def _small_disk(directory: Path) -> str | None:
    """Mount a tmpfs of DISK_MB at `directory`; answer why not when the machine refuses."""
    directory.mkdir()
    try:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m", "tmpfs", str(directory)],
            check=True,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError) as error:
        return f"`mount -t tmpfs` was refused ({getattr(error, 'stderr', None) or error}): it needs root"
    return None


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    root = tmp_path_factory.mktemp("faults")
    disk = root / "disk"
    refused = _small_disk(disk)
    postgres = Postgres(disk / "pg")
    broker = Redis(disk)
    sink = SmtpSink()
    env = {
        **{k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "XDG_RUNTIME_DIR", "LANG"}},
        "DATABASE_URL": postgres.url,
        "REDIS_URL": broker.url,
        "PEERS_DATA_DIR": str(root / "data"),
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "EMAIL_TIMEOUT_SECONDS": "2",
        "PEERS_SWEEP_INTERVAL_SECONDS": str(SWEEP_INTERVAL),
        "PEERS_QUIET_HOURS": "off",  # deliveries here must not depend on the hour the suite runs
        "PEERS_NOTIFICATION_BACKOFF_SECONDS": "1",
        "PEERS_NOTIFICATION_MAX_ATTEMPTS": "4",
        "DJANGO_DEBUG": "true",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    processes = Processes(env, root)
    processes.manage("migrate", "--verbosity", "0")
    web = Processes(env, root)  # not stopped between cases: the web answers through every fault
    stack = {"postgres": postgres, "redis": broker, "sink": sink, "processes": processes, "root": root}
    stack.update({"disk": None if refused else disk, "disk_refused": refused, "port": start_web(web)})
    yield stack
    web.stop_all()
    processes.stop_all()
    broker.stop()
    sink.close()
    postgres.close()
    if not refused:
        subprocess.run(["umount", "--lazy", str(disk)], check=False, capture_output=True, timeout=30)


@pytest.fixture
def fresh(stack):
    """Each case starts with no notifications, an accepting SMTP server, a running
    PostgreSQL and Redis, and no worker or beat."""
    stack["postgres"].start()
    stack["postgres"].query("DELETE FROM peers_notification RETURNING 1")
    stack["sink"].received.clear()
    stack["sink"].connections = 0
    stack["sink"].mode, stack["sink"].delay = "accept", 0.0
    if not stack["redis"].ping():
        stack["redis"].start()
    yield stack
    stack["processes"].stop_all()
