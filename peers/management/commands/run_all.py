"""`make run`: migrate, seed the demo, then serve web, worker and beat together.

This process owns the embedded PostgreSQL and Redis (started when settings load,
unless DATABASE_URL / REDIS_URL are set); the children inherit their URLs and
start nothing. Ctrl-C stops the children, then the embedded servers.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from peers import embedded


def _interrupt(*_args) -> None:
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Run the whole application locally: web on :8000, a Celery worker and beat."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, addr: str, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo")
        python = sys.executable
        celery = [python, "-m", "celery", "-A", "peers"]
        schedule = str(embedded.DATA_DIR / "celerybeat-schedule")
        commands = {
            "web": [python, "manage.py", "runserver", addr, "--noreload"],
            "worker": celery + ["worker", "--loglevel", "INFO", "--concurrency", "2"],
            "beat": celery + ["beat", "--loglevel", "INFO", "--schedule", schedule],
        }
        children = {
            name: subprocess.Popen(cmd, cwd=settings.BASE_DIR, env=os.environ.copy()) for name, cmd in commands.items()
        }
        self.stdout.write(self.style.SUCCESS(f"PEERS is running at http://{addr}/ — press Ctrl-C to stop."))
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            while all(child.poll() is None for child in children.values()):
                time.sleep(0.5)
            stopped = [name for name, child in children.items() if child.poll() is not None]
            self.stderr.write(f"{', '.join(stopped)} stopped; shutting everything down.")
        except KeyboardInterrupt:
            self.stdout.write("Stopping…")
        finally:
            # A second Ctrl-C must not cut the shutdown short and leave servers behind.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            self._stop(children)

    def _stop(self, children: dict[str, subprocess.Popen]) -> None:
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 15
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        embedded.redis_stop()
        embedded.postgres_stop()
        self.stdout.write("Stopped web, worker, beat and the embedded servers.")
