"""Scaled out on one machine: two web processes on different ports, two workers and two
beats, sharing the machine's real PostgreSQL and Redis servers (not the embedded
ones). The last seat goes to exactly one trainee across both web processes, every
notification is sent once, and losing any one process of each kind loses nothing."""

import json
import os
import secrets
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import psycopg2
import pytest
import redis

from peers.testing.processes import BASE_DIR, Processes, wait_for
from peers.testing.smtp_sink import SmtpSink

pytestmark = pytest.mark.faults
POSTGRES = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "postgres"}
REDIS_URL = "redis://127.0.0.1:6379/7"
DATABASE = "peers_scale_out_test"


def _real_servers_or_skip() -> None:
    try:
        psycopg2.connect(connect_timeout=3, **POSTGRES).close()
        redis.Redis.from_url(REDIS_URL, socket_timeout=3).ping()
    except (psycopg2.Error, redis.RedisError) as error:
        if os.environ.get("CI"):
            raise AssertionError(f"CI needs the machine's PostgreSQL and Redis: {error}") from None
        pytest.skip(f"the machine's PostgreSQL (5432) and Redis (6379) are not running: {error}")


def _admin(sql: str) -> None:
    connection = psycopg2.connect(**POSTGRES)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


def _query(sql: str, params=()) -> list[tuple]:
    connection = psycopg2.connect(**{**POSTGRES, "dbname": DATABASE})
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    connection.close()
    return rows


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _gunicorn(processes: Processes, port: int):
    return processes._spawn(
        f"web{port}",
        [sys.executable, "-m", "gunicorn", "peers.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--threads", "4", "--worker-class", "gthread"],
    )  # fmt: skip


def _get(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def _book(port: int, session_id: int, cookie: str) -> int:
    csrf = secrets.token_hex(16)  # 32 characters: Django's unmasked CSRF secret
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/sessions/{session_id}/book/",
        data=urllib.parse.urlencode({"csrfmiddlewaretoken": csrf}).encode(),
        headers={"Cookie": f"sessionid={cookie}; csrftoken={csrf}", "Referer": f"http://127.0.0.1:{port}/"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def cluster(tmp_path):
    _real_servers_or_skip()
    _admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    _admin(f"CREATE DATABASE {DATABASE}")
    redis.Redis.from_url(REDIS_URL).flushdb()
    sink = SmtpSink()
    env = {
        **{k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "XDG_RUNTIME_DIR", "LANG"}},
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "REDIS_URL": REDIS_URL,
        "PEERS_DATA_DIR": str(tmp_path / "data"),
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "PEERS_SWEEP_INTERVAL_SECONDS": "1",
        "PEERS_QUIET_HOURS": "off",  # deliveries here must not depend on the hour the suite runs
        "DJANGO_DEBUG": "true",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    processes = Processes(env, tmp_path)
    processes.manage("migrate", "--verbosity", "0")
    ports = [_free_port(), _free_port()]
    webs = [_gunicorn(processes, port) for port in ports]
    workers = [processes.worker(), processes.worker()]
    beats = [processes.beat(), processes.beat()]
    for port in ports:
        wait_for(lambda port=port: _get(port, "/healthz") in (200, 503), 60, f"web on {port}")
    yield {"processes": processes, "ports": ports, "webs": webs, "workers": workers, "beats": beats, "sink": sink}
    processes.stop_all()
    sink.close()
    _admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def _each_sent_once(sink) -> bool:
    ids = {str(row[0]) for row in _query("SELECT id FROM peers_notification")}
    return bool(ids) and set(sink.received) == ids


def test_two_of_everything_book_the_last_seat_once_send_once_and_survive_losing_one(cluster):
    processes, ports, sink = cluster["processes"], cluster["ports"], cluster["sink"]
    printed = processes.manage(
        "shell", "-c", "from faults import actions; actions.last_seat_and_signed_in_trainees(40)"
    )
    made = json.loads(printed.strip().splitlines()[-1])
    barrier = threading.Barrier(len(made["cookies"]))
    answers: list[int] = []

    def book(n: int, cookie: str) -> None:
        barrier.wait()
        answers.append(_book(ports[n % 2], made["session"], cookie))

    threads = [threading.Thread(target=book, args=(n, c)) for n, c in enumerate(made["cookies"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert answers == [200] * 40, answers  # every trainee got an answer (the session page, after the redirect)
    assert _query("SELECT count(*) FROM sessions_app_booking WHERE status = 'booked'") == [(1,)]
    assert _query("SELECT seats_taken FROM sessions_app_session WHERE id = %s", (made["session"],)) == [(1,)]

    # Lose one web, one worker and one beat; the others carry on.
    for child in (cluster["webs"][0], cluster["workers"][0], cluster["beats"][0]):
        os.killpg(child.pid, signal.SIGKILL)
    assert _get(ports[1], "/healthz") in (200, 503)
    assert _get(ports[0], "/healthz") == 0  # gone
    processes.manage("shell", "-c", "from faults import actions; actions.notifications(30, 'scale', spread_seconds=3)")
    wait_for(lambda: _each_sent_once(sink), 90, "every notification sent\n" + processes.logs())
    time.sleep(2)  # a duplicate, if any, would arrive now
    assert sink.duplicates() == 0
    assert _query("SELECT count(*) FROM peers_notification WHERE kind = 'booking_confirmed'") == [(1,)]
    wait_for(lambda: _get(ports[1], "/healthz") == 200, 30, "the surviving web to report healthy")
    assert str(BASE_DIR)  # the processes ran this checkout's code
