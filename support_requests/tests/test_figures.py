"""The support section of the figures pages: closed months as published, no totals
across months, and nothing that narrows a hidden cell (the attacker of
peers/tests/test_suppression.py, and subtraction of one page from another)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from peers.figures import Period
from peers.suppression import SMALL, SUPPRESSED
from peers.testing.queries import assert_fixed_queries
from peers.tests.test_suppression import _attacker_ranges
from support_requests import figures, reports
from support_requests.models import SupportRequest
from support_requests.tests.test_reports import _requests, at

pytestmark = pytest.mark.django_db


def _contact(requests, hours):
    for request in requests:
        SupportRequest.objects.filter(pk=request.pk).update(
            status="assigned", first_contact_at=request.first_contact_due_at + datetime.timedelta(hours=hours)
        )


def _section(program, period, when):
    with time_machine.travel(at(when), tick=False):
        section = figures.program_section(program, Period.parse(period))
    return {figure.slug: figure for figure in section.figures}


@pytest.fixture
def spring(program, make_request):
    """March: 6 burnout, 2 complaint. May: 12 requests, 7 contacted within the target and
    5 beyond. June: 6 requests, 5 within and 1 beyond."""
    _requests(make_request, "2026-03-10T09:00", burnout=6, complaint=2)
    may = _requests(make_request, "2026-05-04T09:00", burnout=12)
    _contact(may[:7], -12)
    _contact(may[7:], 6)
    june = _requests(make_request, "2026-06-03T09:00", other=6)
    _contact(june[:5], -20)
    _contact(june[5:], 2)


def test_requests_by_month_and_reason_are_the_published_months(program, spring):
    by_reason = _section(program, "2025-spring", "2026-07-02T09:00")["support-requests"]
    rows = {row[0]: row[1:] for row in by_reason.rows}
    assert list(rows) == ["Mar 2026", "Apr 2026", "May 2026", "Jun 2026"]  # no "whole period": no totals across months
    reasons = [value for value, _ in reports.REASONS]
    march = rows["Mar 2026"]
    assert march[0] == 8 and march[1 + reasons.index("complaint")] == SMALL
    assert march[1 + reasons.index("burnout")] == SUPPRESSED


def test_time_to_first_contact_against_the_target(program, spring):
    rows = {
        row[0]: row[1:] for row in _section(program, "2025-spring", "2026-07-02T09:00")["support-first-contact"].rows
    }
    assert rows["May 2026"][:2] == [58, "12"] and rows["May 2026"][3:] == ["7", "5"]  # 7 of 12 within
    assert rows["Jun 2026"][:2] == ["–", "6"]  # the one beyond is hidden, and so its partner: no share
    assert rows["Jun 2026"][3:] == [SUPPRESSED, SMALL]


def test_the_open_month_never_shows_and_a_term_shows_what_its_year_shows(program, spring, make_request):
    assert _section(program, "2025-spring", "2026-06-20T09:00")["support-requests"].rows[-1][0] == "May 2026"
    term = _section(program, "2025-spring", "2026-07-02T09:00")
    _requests(make_request, "2026-07-03T09:00", burnout=3)  # the new year goes on
    year = _section(program, "2025", "2026-08-02T09:00")
    for slug in ("support-requests", "support-first-contact", "support-referrals"):
        assert year[slug].rows == term[slug].rows  # nothing to subtract between the pages
    with time_machine.travel(at("2026-08-02T09:00"), tick=False):
        report = reports.program_report(program)
    assert [f"{row['month']:%b %Y}" for row in report["months"]][:4] == ["Mar 2026", "Apr 2026", "May 2026", "Jun 2026"]


def test_a_hidden_target_total_withholds_both_cells_so_the_published_total_narrows_nothing():
    line = figures._line((3, 4), "7")  # the engine would hide the total the report shows as 7
    assert line == {"cells": [SUPPRESSED, SUPPRESSED], "total": "7"}
    for within, beyond in ((3, 4), (5, 1), (1, 0), (0, 6), (12, 2)):
        total = str(within + beyond) if within + beyond >= 5 or within + beyond == 0 else SMALL
        line = figures._line((within, beyond), total)
        items = [*line["cells"], total]
        for low, high in _attacker_ranges(items, [([0, 1], 2)]).values():
            assert high - low >= 2 - 1e-6, (within, beyond, items)


def test_the_support_figures_reach_the_page_for_a_coordinator_only(client, program, coordinator, trainee, spring):
    with time_machine.travel(at("2027-01-02T09:00"), tick=False):
        client.force_login(coordinator)
        page = client.get(reverse("figures:program", args=[program.pk]) + "?period=2025-spring").content.decode()
        assert "Requests by month and reason" in page and "Time to first contact against the target" in page
        csv = client.get(reverse("figures:program_csv", args=[program.pk, "support-requests"]) + "?period=2025-spring")
        assert "Mar 2026,8," in csv.content.decode() and "<5" in csv.content.decode()
        client.force_login(trainee)
        assert client.get(reverse("figures:program", args=[program.pk])).status_code == 404


@pytest.mark.parametrize("period", ["2026-fall", "2026"])
def test_the_page_costs_the_same_queries_however_many_months_are_published(
    client, program, coordinator, make_request, period
):
    _requests(make_request, "2026-07-10T09:00", burnout=6)
    url = reverse("figures:program", args=[program.pk]) + f"?period={period}"
    with time_machine.travel(at("2027-01-20T09:00"), tick=False):
        client.force_login(coordinator)

        def grow():
            for month in (8, 9, 10, 11):
                with time_machine.travel(at(f"2026-{month:02d}-10T09:00"), tick=False):
                    for _ in range(month):
                        make_request(reason="burnout")

        # Queries: the program page's 22 (peers/tests/test_figures.py) and, with months
        # published, the stored first-contact lines and the stored outreach lines.
        assert_fixed_queries(client, url, {"2026-fall": 24, "2026": 20}[period], grow=grow)


def _outreach_ended(program, when, **by_outcome):
    """Outreaches whose outcome was recorded at `when`, so many of each outcome."""
    from peers.tests.factories import UserFactory
    from support_requests.services import outreach as outreach_services

    with time_machine.travel(at(when), tick=False):
        for outcome, n in by_outcome.items():
            for i in range(n):
                outreach = outreach_services.outreach_create(
                    program=program,
                    asked_by=UserFactory(),  # one colleague may ask for ten people a day
                    name=f"Person {i}",
                    contact=f"p{i}@x.example",
                    after_event=True,
                )
                outreach_services.outreach_outcome_record(outreach=outreach, outcome=outcome)


def test_outreach_is_counted_by_how_it_ended_in_closed_months_only_and_suppressed(program, make_request):
    _requests(make_request, "2026-03-10T09:00", burnout=6)
    _outreach_ended(program, "2026-04-08T09:00", talked=6, declined=2, resources_sent=5, no_reach=0)
    _outreach_ended(program, "2026-06-20T09:00", talked=1)
    _outreach_ended(program, "2026-07-01T09:00", talked=9)  # July is still open
    outreach = _section(program, "2025-spring", "2026-07-02T09:00")["support-outreach"]
    assert outreach.columns == [
        "Month",
        "Outreach ended",
        "We talked",
        "They declined",
        "Resources sent",
        "Could not reach them",
    ]
    rows = {row[0]: row[1:] for row in outreach.rows}
    assert list(rows) == ["Mar 2026", "Apr 2026", "May 2026", "Jun 2026"]  # no July, no total across months
    assert rows["Mar 2026"] == [0, 0, 0, 0, 0]
    april = rows["Apr 2026"]
    assert april[0] == 13 and april[1] == 6 and april[2] == SMALL and april[4] == 0
    assert SUPPRESSED in april  # the 2 declined could be given back from the total: another cell is withheld
    assert rows["Jun 2026"] == [SMALL, SMALL, 0, 0, 0]


def test_an_outreach_line_narrows_no_hidden_cell():
    from peers.suppression import suppress_counts
    from support_requests.figures import _compute_outreach  # noqa: F401  (the line is suppress_counts's)

    for counts in ([6, 2, 5, 0], [1, 0, 0, 0], [5, 5, 1, 0], [3, 3, 3, 3], [9, 0, 0, 4]):
        line = suppress_counts(counts, labels=["a", "b", "c", "d"])
        items = [*line.cells, line.total]
        for low, high in _attacker_ranges(items, [([0, 1, 2, 3], 4)]).values():
            assert high - low >= 2 - 1e-6, (counts, items)


def test_outreach_months_are_shown_as_first_published(program, make_request):
    _outreach_ended(program, "2026-04-08T09:00", talked=6)
    first = _section(program, "2025-spring", "2026-07-02T09:00")["support-outreach"].rows
    from support_requests.models import Outreach

    Outreach.objects.update(outcome="declined")  # what is published once stays
    assert _section(program, "2025-spring", "2026-09-02T09:00")["support-outreach"].rows == first
