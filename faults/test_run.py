"""`make run` in production's shape: gunicorn, a worker and beat under a supervisor that
restarts whatever dies, the embedded PostgreSQL and Redis included, and Ctrl-C stops
everything. Runs `python -m peers.run` itself, on a data directory of its own."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import psutil
import pytest

from peers.testing.processes import BASE_DIR

pytestmark = pytest.mark.faults


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _health(port: int) -> dict:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:  # 503 still carries the JSON
        return json.load(error)
    except OSError:
        return {}


def _until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _child(run: psutil.Process, needle: str) -> psutil.Process:
    for process in run.children(recursive=False):
        try:
            if needle in " ".join(process.cmdline()):
                return process
        except psutil.Error:
            continue
    return None


@pytest.fixture
def running(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({"PEERS_DATA_DIR": str(tmp_path / "data"), "DJANGO_LOG_LEVEL": "WARNING"})
    log = open(tmp_path / "run.log", "w+")  # noqa: SIM115 (read while the process runs)
    process = subprocess.Popen(
        [sys.executable, "-m", "peers.run", "--no-demo", "--port", str(port)],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    output = lambda: (tmp_path / "run.log").read_text()  # noqa: E731
    try:
        _until(lambda: _health(port).get("database") == "ok", 180, "the web to answer")
        yield process, port, output
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                for child in psutil.Process(process.pid).children(recursive=True):
                    child.kill()
                process.kill()
        log.close()


def test_the_supervisor_restarts_redis_postgres_and_the_worker_and_ctrl_c_stops_all(running):
    process, port, output = running
    run = psutil.Process(process.pid)
    assert "gunicorn" in " ".join(_child(run, "gunicorn").cmdline())  # a production server, not runserver

    _child(run, "redis-server").kill()
    _until(lambda: "redis exited" in output(), 20, "the supervisor to notice Redis")
    _until(lambda: _health(port).get("broker") == "ok", 60, "Redis to be back")

    _child(run, "pginstall/bin/postgres").kill()
    _until(lambda: "postgres exited" in output(), 20, "the supervisor to notice PostgreSQL")
    _until(lambda: _health(port).get("database") == "ok", 90, "PostgreSQL to be back")

    _child(run, "peers worker").kill()
    _until(lambda: "worker exited" in output(), 20, "the supervisor to notice the worker")
    _until(lambda: _child(run, "peers worker") is not None and "restarting worker" in output(), 20, "a new worker")

    descendants = run.children(recursive=True)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0
    _until(
        lambda: not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in descendants), 30, "all to stop"
    )
    assert "stopped web, worker, beat and the embedded servers" in output()
