"""Each session sweep claims its sessions: two sweeps at once act on each session once."""

import datetime
import time

import pytest
from django.utils import timezone

from peers.testing.concurrency import run_concurrently
from sessions_app.services import sweeps
from sessions_app.tests.factories import SessionFactory


@pytest.mark.django_db(transaction=True)
def test_two_reminder_sweeps_at_once_remind_each_session_once(program, monkeypatch):
    soon = timezone.now() + datetime.timedelta(hours=2)
    for n in range(3):
        SessionFactory(program=program, starts_at=soon + datetime.timedelta(minutes=n))
    original = sweeps._send_reminders

    def slow(sessions):  # hold each claim long enough for the other sweep to look
        original(sessions)
        time.sleep(0.3)

    monkeypatch.setattr(sweeps, "_send_reminders", slow)
    done = run_concurrently(sweeps.sessions_remind, sweeps.sessions_remind)
    assert sum(done) == 3
