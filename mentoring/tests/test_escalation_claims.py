"""The escalation sweep claims each contact: two sweeps at once do each step once (the
work itself, not only its deduplicated notifications)."""

import datetime
import time

import pytest
import time_machine

from mentoring import services
from mentoring.services import contacts
from peers.models import Notification
from peers.testing.concurrency import run_concurrently


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_escalate_a_late_contact_exactly_once(pair_world, monkeypatch):
    contact = services.contact_create(mentee=pair_world["mentee"], channel="text", message="Can we talk?")
    original = contacts._alert_mentors

    def slow_alert(contact):  # hold the claim long enough for the other sweep to look
        original(contact)
        time.sleep(0.5)

    monkeypatch.setattr(contacts, "_alert_mentors", slow_alert)
    with time_machine.travel(contact.due_at + datetime.timedelta(minutes=1), tick=True):
        done = run_concurrently(services.contacts_escalate, services.contacts_escalate)
    assert sorted(done) == [0, 1]
    told = Notification.objects.filter(kind="contact_overdue").values_list("recipient__email", flat=True)
    assert sorted(told) == ["fourth@example.edu", "third@example.edu"]
