"""Many notifications created together (a sweep's batch): each dedupe key once, even
when another process creates the same notification at the same moment."""

import threading

import pytest
from django.db import transaction

from peers.models import Notification
from peers.services import notifications
from peers.services.notifications import NotificationDraft, notification_create, notifications_create_many
from peers.testing.concurrency import run_concurrently


def _draft(person, key: str) -> NotificationDraft:
    return NotificationDraft(recipient=person, kind="fault_test", dedupe_key=key, template="generic")


@pytest.mark.django_db
def test_a_batch_creates_each_new_key_once_and_skips_those_that_exist(trainee, coordinator):
    notification_create(**vars(_draft(trainee, "batch:1")))
    drafts = [_draft(trainee, "batch:1"), _draft(trainee, "batch:2"), _draft(coordinator, "batch:3")]
    created = notifications_create_many([*drafts, _draft(trainee, "batch:2")])
    assert created == 2
    assert sorted(Notification.objects.values_list("dedupe_key", "recipient__email")) == [
        ("batch:1", "trainee@example.edu"),
        ("batch:2", "trainee@example.edu"),
        ("batch:3", "coordinator@example.edu"),
    ]
    assert "Hello" in Notification.objects.get(dedupe_key="batch:3").body


@pytest.mark.django_db(transaction=True)
def test_a_batch_racing_another_creator_of_the_same_key_creates_it_once_without_failing(trainee, monkeypatch):
    keys_read, other_committed = threading.Event(), threading.Event()
    render = notifications._row

    def render_after_the_other(draft, due_at):  # the other process inserts between steps 1 and 2
        keys_read.set()
        other_committed.wait(10)
        return render(draft, due_at)

    monkeypatch.setattr(notifications, "_row", render_after_the_other)

    def batch():
        with transaction.atomic():
            return notifications_create_many([_draft(trainee, "race:1"), _draft(trainee, "race:2")])

    def single():
        keys_read.wait(10)
        notification_create(**vars(_draft(trainee, "race:1")))
        other_committed.set()

    results = run_concurrently(batch, single)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(Notification.objects.values_list("dedupe_key", flat=True)) == ["race:1", "race:2"]
