"""The home page's core to-dos (peers/home.py): a coordinator is told first of the
notifications that could not be delivered, counted as the admin list shows them."""

import datetime

import pytest
from django.utils import timezone

from peers.models import Notification

pytestmark = pytest.mark.django_db


def _failed(recipient, program, kind="booking_confirmed", n=0):
    return Notification.objects.create(
        recipient=recipient,
        program=program,
        kind=kind,
        dedupe_key=f"failed-{kind}-{n}-{program.pk}",
        subject="s",
        body="b",
        due_at=timezone.now(),
        failed_at=timezone.now(),
        attempts=48,
    )


def test_a_coordinator_sees_their_programs_failed_notifications_first(
    client, coordinator, trainee, program, other_program
):
    _failed(trainee, program, n=1)
    _failed(trainee, program, n=2)
    _failed(trainee, other_program)  # not theirs
    _failed(trainee, program, kind="support_new_request")  # confidential: the admin never lists it
    client.force_login(coordinator)
    body = client.get("/").content.decode()
    assert "2 notifications could not be delivered" in body
    assert "/admin/peers/notification/?failed_at__isempty=0" in body
    assert body.index("could not be delivered") < body.index("Open the coordinators")
    listed = client.get("/admin/peers/notification/?failed_at__isempty=0")
    assert listed.status_code == 200 and listed.context["cl"].result_count == 2


def test_nobody_else_is_told(client, trainee, program):
    _failed(trainee, program)
    client.force_login(trainee)
    assert "could not be delivered" not in client.get("/").content.decode()


def test_time_left_reads_as_a_person_would_say_it():
    from peers.registry import time_left

    now = datetime.datetime(2026, 11, 3, 12, tzinfo=datetime.UTC)
    hours = lambda h, m=0: now + datetime.timedelta(hours=h, minutes=m)  # noqa: E731
    assert time_left(hours(3, 20), now) == "3 h 20 min left"
    assert time_left(hours(2), now) == "2 h left"
    assert time_left(hours(0, 10), now) == "10 min left"
    assert time_left(hours(72), now) == "3 days left"
    assert time_left(hours(0, -45), now) == "overdue by 45 min"
