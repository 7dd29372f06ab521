"""Support on the office's figures page: each program's closed months exactly as its
report published them, no totals, nothing before the period has closed."""

import pytest
import time_machine

from peers.figures import Period
from peers.suppression import SMALL
from peers.tests.factories import ProgramFactory
from support_requests import figures_office, reports, services
from support_requests.tests.conftest import NO
from support_requests.tests.test_reports import _requests, at

pytestmark = pytest.mark.django_db


def _office(programs, period, when):
    with time_machine.travel(at(when), tick=False):
        section = figures_office.office_section(programs, Period.parse(period))
    [figure] = section.figures
    return section, {row[0]: row[1:] for row in figure.rows}


def _request_in(program, when, n):
    with time_machine.travel(at(when), tick=False):
        for _ in range(n):
            services.request_create(
                program=program,
                requester=None,
                screening=dict(NO),
                reason="burnout",
                description="A hard week.",
                contact_method="email",
                contact_details="me@private.example",
            )


def test_each_programs_months_read_as_its_report_published_them(program, make_request):
    other = ProgramFactory(name="Surgery Residency")
    _requests(make_request, "2026-03-10T09:00", burnout=6, complaint=2)
    _request_in(other, "2026-04-08T09:00", 3)
    _, rows = _office([program, other], "2025-spring", "2026-07-02T09:00")
    assert rows["MD Program · Mar 2026"] == [8, 0, 0]
    assert rows["Surgery Residency · Apr 2026"] == [SMALL, 0, 0]  # three requests: "<5"
    assert rows["MD Program · Jan 2026"] == [0, 0, 0]  # before the first request: none came
    assert len(rows) == 12 and not any("total" in label.lower() for label in rows)  # no totals anywhere
    with time_machine.travel(at("2026-07-02T09:00"), tick=False):
        for each in (program, other):  # the same strings as the program's own report, month by month
            for row in reports.program_report(each)["months"]:
                label = f"{each.name} · {row['month']:%b %Y}"
                if label in rows:
                    shown = [row["total"], row["first_contact"]["contacted"], row["referrals_total"]]
                    assert [str(value) for value in rows[label]] == shown


def test_nothing_shows_before_the_period_has_closed(program, make_request):
    _requests(make_request, "2026-08-10T09:00", burnout=6)
    section, rows = _office([program], "2026-fall", "2026-12-15T09:00")
    assert rows == {} and "Shown once the period has closed" in section.note
    _, rows = _office([program], "2026-fall", "2027-01-02T09:00")
    assert rows["MD Program · Aug 2026"] == [6, 0, 0]


def test_a_published_month_never_changes_on_the_office_page(program, make_request):
    _requests(make_request, "2026-03-10T09:00", burnout=6)
    _, first = _office([program], "2025-spring", "2026-07-02T09:00")
    _requests(make_request, "2026-03-20T09:00", burnout=3)  # late rows in a published month
    _, again = _office([program], "2025-spring", "2026-07-03T09:00")
    assert first == again


def test_the_office_support_section_costs_two_queries_once_published(program, make_request, django_assert_num_queries):
    others = [ProgramFactory() for _ in range(3)]
    _requests(make_request, "2026-03-10T09:00", burnout=6)
    for n, other in enumerate(others):
        _request_in(other, f"2026-0{n + 2}-10T09:00", 5 + n)
    _office([program, *others], "2025-spring", "2026-07-02T09:00")  # the first reading publishes
    with time_machine.travel(at("2026-07-02T10:00"), tick=False):
        # 1 the stored months of every program, 2 their first requests
        with django_assert_num_queries(2):
            figures_office.office_section([program, *others], Period.parse("2025-spring"))
