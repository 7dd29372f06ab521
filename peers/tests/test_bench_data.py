import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from mentoring.models import Contact
from peers import bench_data
from peers.models import Membership, Notification, Role, User
from sessions_app.models import Booking, Session
from support_requests.models import SupportRequest

pytestmark = pytest.mark.django_db
SCALE = 0.002  # 40 trainees in 2 programs, 62 sessions, 790 bookings, 2,000 notifications


def _rows() -> dict[str, int]:
    return {
        "trainees": Membership.objects.filter(user__email__endswith=bench_data.EMAIL_DOMAIN, role=Role.TRAINEE).count(),
        "sessions": Session.objects.count(),
        "bookings": Booking.objects.count(),
        "notifications": Notification.objects.count(),
        "mentoring_contacts": Contact.objects.count(),
        "support_requests": SupportRequest.objects.count(),
    }


def _build_once() -> tuple[dict[str, int], list[str]]:
    with transaction.atomic():
        call_command("seed_demo", allow_production=True, stdout=io.StringIO())
        before = _rows()
        built = bench_data.build(scale=SCALE, seed=7, say=lambda line: None)
        after = _rows()
        assert {name: built[name] for name in after} == {name: after[name] - before[name] for name in after}
        emails = sorted(User.objects.filter(email__endswith=bench_data.EMAIL_DOMAIN).values_list("email", flat=True))
        transaction.set_rollback(True)
    return {name: after[name] - before[name] for name in after}, emails


def test_the_builder_makes_the_planned_rows_and_the_same_ones_again_from_the_same_seed():
    added, emails = _build_once()
    assert added == {
        "trainees": 40,
        "sessions": 62,
        "bookings": 790,
        "notifications": 2_000,
        "mentoring_contacts": 400,
        "support_requests": 100,
    }
    assert (added, emails) == _build_once()


def test_the_command_refuses_any_database_but_the_benchmarks():
    with pytest.raises(CommandError, match="only on a database named"):
        call_command("bench_data", scale=SCALE)
