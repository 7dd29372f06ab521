"""The first-contact sweep claims each request: two sweeps at once escalate it once."""

import datetime
import time

import pytest
import time_machine

from peers.testing.concurrency import run_concurrently
from support_requests import services
from support_requests.services import escalation


@pytest.mark.django_db(transaction=True)
def test_two_escalation_sweeps_at_once_escalate_an_overdue_request_once(make_request, lead, monkeypatch):
    request = make_request()
    original = escalation._escalate

    def slow(request, step):  # hold the claim long enough for the other sweep to look
        original(request, step)
        time.sleep(0.5)

    monkeypatch.setattr(escalation, "_escalate", slow)
    with time_machine.travel(request.first_contact_due_at + datetime.timedelta(minutes=1), tick=True):
        done = run_concurrently(services.first_contact_escalate, services.first_contact_escalate)
    assert sorted(done) == [0, 1]
