"""The coordinators' session list costs the same queries however many sessions and
series there are: its filters' choices are read in one query each (peers.admin_scoping
.RelatedOnlyFilter), not one per series."""

import datetime

import pytest
from django.utils import timezone

from peers.testing.queries import assert_fixed_queries
from sessions_app.tests.factories import SeriesFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_the_admin_session_list_runs_a_fixed_number_of_queries(client, coordinator, program, other_program):
    SessionFactory(program=program)
    client.force_login(coordinator)

    def grow():
        series = [SeriesFactory(program=program) for _ in range(20)]
        for n in range(60):
            starts = timezone.now() + datetime.timedelta(days=7 * n)
            SessionFactory(program=program, series=series[n // 3], group_number=n + 2, starts_at=starts)
        SessionFactory(program=other_program, series=SeriesFactory(program=other_program, name="Elsewhere"))

    # Session, user, MFA, memberships, the program and series filters, two counts, the
    # permissions (2), the page, the date hierarchy's bounds and its years.
    assert_fixed_queries(client, "/admin/sessions_app/session/", 13, grow=grow)
    page = client.get("/admin/sessions_app/session/").content.decode()
    assert "Elsewhere" not in page  # another program's series is not a choice
