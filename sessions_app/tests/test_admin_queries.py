"""The coordinators' session list costs the same queries however many sessions and
series there are: its filters' choices are read in one query each (peers.admin_scoping
.RelatedOnlyFilter), not one per series."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from peers.testing.queries import assert_fixed_queries
from sessions_app import services
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

    # Session, user, MFA, memberships, the program and series filters, the count (capped:
    # peers.admin_scoping.CappedCountPaginator), the permissions (2), the page, the date
    # hierarchy's bounds and its years.
    assert_fixed_queries(client, "/admin/sessions_app/session/", 12, grow=grow)
    page = client.get("/admin/sessions_app/session/").content.decode()
    assert "Elsewhere" not in page  # another program's series is not a choice


def test_the_attendance_filter_lists_held_sessions_with_bookings_and_no_attendance(
    client, coordinator, program, make_trainee
):
    def held(location, *, booked=True, taken=False):
        session = SessionFactory(program=program, topic__title=location)
        if booked:
            services.booking_create(session=session, user=make_trainee(f"{location}@example.edu"))
        return session, taken

    made = [held("Room never"), held("Room taken", taken=True), held("Room empty", booked=False)]
    SessionFactory(program=program, topic__title="Room future")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=4)):
        for session, taken in made:
            if taken:
                services.attendance_record(session=session, present_user_ids=set())
        SessionFactory(program=program, topic__title="Room later")
        client.force_login(coordinator)
        url = "/admin/sessions_app/session/?attendance=never"
        page = client.get(url).content.decode()
        assert "Never taken" in page and "Room never" in page
        assert not [room for room in ("Room taken", "Room empty", "Room future", "Room later") if room in page]

        def grow():
            for n in range(10):
                held(f"Room more{n}")

        # As the plain list (above), with the filter: the same 12 queries however many match.
        assert_fixed_queries(client, url, 12, grow=grow)


def test_the_admin_booking_list_runs_a_fixed_number_of_queries(
    client, coordinator, program, other_program, make_trainee
):
    session = SessionFactory(program=program)
    services.booking_create(session=session, user=make_trainee("first@example.edu"))
    client.force_login(coordinator)

    def grow():
        for n in range(30):
            services.booking_create(
                session=session if n < 5 else SessionFactory(program=program),
                user=make_trainee(f"more{n}@example.edu"),
            )
        elsewhere = SessionFactory(program=other_program)
        services.booking_create(session=elsewhere, user=make_trainee("elsewhere@example.edu", on=other_program))

    # Session, user, MFA, memberships, the count (capped), the permissions (2), the page
    # (people, sessions and topics joined).
    assert_fixed_queries(client, "/admin/sessions_app/booking/", 8, grow=grow)
    page = client.get("/admin/sessions_app/booking/").content.decode()
    assert "31 bookings" in page and "elsewhere@" not in page
    assert len(set(re.findall(r"/admin/sessions_app/booking/(\d+)/change/", page))) == 25  # a page of 25
