"""The benchmark's database (`peers_bench` on the embedded PostgreSQL, or on the server
DATABASE_URL names) and its production-shaped server: gunicorn, 2 sync workers, DEBUG off."""

import os
import secrets
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg2

from peers import embedded
from peers.run import PRODUCTION_CONN_MAX_AGE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable
DATABASE = "peers_bench"
# Fixed, so that the data built by one process is readable by the server.
ENCRYPTION_KEY = "bench-only-field-encryption-key-not-a-secret-0001"


def database_url(*, fresh: bool = True, name: str = DATABASE) -> str:
    """The URL of `name` (made empty when `fresh`): on DATABASE_URL's server if set, else embedded."""
    if not name.endswith("_bench") or not name.replace("_", "").isalnum():
        raise SystemExit(f"the benchmark's database must be named like peers_bench, not {name!r}")
    base = os.environ.get("DATABASE_URL") or embedded.postgres_url()
    parsed = urllib.parse.urlparse(base)
    # The embedded server's URL names its socket directory, quoted, as the host.
    host = urllib.parse.unquote(parsed.netloc.rsplit("@", 1)[-1]) if "%2F" in parsed.netloc else parsed.hostname
    admin = psycopg2.connect(
        dbname="postgres", user=parsed.username or "postgres", password=parsed.password, host=host, port=parsed.port
    )
    admin.autocommit = True
    if fresh:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {name}")
    admin.close()
    return urllib.parse.urlunparse(parsed._replace(path=f"/{name}"))


def environments(*, db_url: str, port: int) -> tuple[dict[str, str], dict[str, str]]:
    """(for building the data, for serving): the same database, keys and mail sink."""
    build = dict(os.environ)
    build.update(
        DATABASE_URL=db_url,
        REDIS_URL=os.environ.get("REDIS_URL") or embedded.redis_url(),
        DJANGO_FIELD_ENCRYPTION_KEYS=ENCRYPTION_KEY,
        EMAIL_URL="dummymail://",
        PEERS_SITE_URL=f"http://127.0.0.1:{port}",
        DJANGO_LOG_LEVEL="WARNING",
    )
    build.pop("DJANGO_DEBUG", None)
    serve = dict(build)
    serve.update(
        DJANGO_SETTINGS_MODULE="peers.bench.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SESSION_COOKIE_SECURE="false",
        DJANGO_CSRF_COOKIE_SECURE="false",
        DJANGO_SECURE_HSTS_SECONDS="0",
    )
    serve.setdefault("DJANGO_CONN_MAX_AGE", str(PRODUCTION_CONN_MAX_AGE))  # as production serves
    return build, serve


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], env=env, cwd=BASE_DIR, check=True)


def gunicorn(env: dict[str, str], *, port: int) -> subprocess.Popen:
    """Start the server as peers/run.py does, with 2 sync workers; return once it answers."""
    argv = [
        PYTHON, "-m", "gunicorn", "peers.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", "2", "--worker-class", "sync", "--backlog", "2048", "--timeout", "60", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(argv, env=env, cwd=BASE_DIR)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=30).close()
            return process
        except OSError:  # not listening yet, or a worker still booting on a busy machine
            time.sleep(0.5)
    stop(process)
    raise RuntimeError("gunicorn did not answer /bench/bare/ within 120 s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
