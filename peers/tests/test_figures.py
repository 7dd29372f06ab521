"""The figures pages: who may open which, the period selector, CSV exports (logged),
the print stylesheet, and a fixed number of queries whatever the period and the data."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from peers.figures import Period
from peers.figures.periods import period_choices
from peers.models import AccessLog, Role
from peers.testing.queries import assert_fixed_queries
from peers.tests.factories import MembershipFactory
from sessions_app.models import Booking
from sessions_app.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 1, 15, 15, tzinfo=datetime.UTC)
OFFICE_QUERIES = 13


@pytest.fixture(autouse=True)
def _january_2027():
    with time_machine.travel(NOW, tick=False):
        yield


def _url(program, **query):
    url = reverse("figures:program", args=[program.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_a_period_is_an_academic_term_or_year_from_july():
    fall, spring, year = Period.parse("2026-fall"), Period.parse("2026-spring"), Period.parse("2026")
    assert (fall.start, fall.end) == (datetime.date(2026, 7, 1), datetime.date(2027, 1, 1))
    assert (spring.start, spring.end) == (datetime.date(2027, 1, 1), datetime.date(2027, 7, 1))
    assert (year.start, year.end) == (fall.start, spring.end) and year.terms() == [fall, spring]
    assert len(fall.months()) == 6 and len(year.months()) == 12
    assert fall.is_closed("America/Toronto") and not spring.is_closed("America/Toronto")
    assert [Period.parse(key) for key in ("2026-winter", "26", "x", "2026-")] == [None] * 4
    assert [p.key for p in period_choices("America/Toronto")[:4]] == ["2026", "2026-spring", "2026-fall", "2025"]


def test_a_coordinator_sees_their_programs_figures_and_no_others(client, coordinator, program, other_program):
    client.force_login(coordinator)
    page = client.get(_url(program, period="2026-fall"))
    assert page.status_code == 200
    assert (
        "Fall 2026 (2026–2027)" in page.content.decode()
        and "Sessions held, seats offered and taken" in page.content.decode()
    )
    assert client.get(_url(other_program)).status_code == 404
    assert client.get(reverse("figures:office")).status_code == 404
    assert client.get(reverse("figures:program_csv", args=[other_program.pk, "sessions-held"])).status_code == 404


def test_an_office_administrator_sees_every_program_and_the_office(client, office, program, other_program):
    client.force_login(office[0])
    assert client.get(_url(other_program)).status_code == 200
    page = client.get(reverse("figures:office") + "?period=2026-fall").content.decode()
    assert "Group sessions, by program" in page and "MD Program" in page and "Surgery Residency" in page


def test_others_get_404(client, trainee, outsider, program):
    for user in (trainee, outsider):
        client.force_login(user)
        assert client.get(_url(program)).status_code == 404
        assert client.get(reverse("figures:office")).status_code == 404


def test_a_malformed_period_says_so_and_shows_the_current_term(client, coordinator, program):
    client.force_login(coordinator)
    page = client.get(_url(program, period="2026-winter"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "not an academic term or year" in text and "Spring 2027 (2026–2027)" in text


def test_every_table_downloads_as_the_csv_the_page_shows_and_the_export_is_logged(client, coordinator, program):
    SessionFactory(program=program, starts_at=datetime.datetime(2026, 9, 10, 22, tzinfo=datetime.UTC), capacity=7)
    client.force_login(coordinator)
    response = client.get(reverse("figures:program_csv", args=[program.pk, "sessions-held"]) + "?period=2026-fall")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["MD Program, Fall 2026 (2026–2027): Sessions held, seats offered and taken"]
    assert rows[1] == ["Period", "Sessions held", "Seats offered", "Seats taken"]
    assert ["Sep 2026", "1", "7", "0"] in rows and ["Whole period", "1", "7", "0"] in rows
    log = AccessLog.objects.using("audit").get(action="figures_export")
    assert (
        log.actor_id == coordinator.pk and log.object_id == str(program.pk) and log.detail == "sessions-held 2026-fall"
    )
    assert client.get(reverse("figures:program_csv", args=[program.pk, "no-such"])).status_code == 404


def test_the_charts_are_inline_svg_and_the_page_has_a_print_stylesheet(client, coordinator, program):
    client.force_login(coordinator)
    text = client.get(_url(program, period="2026-fall")).content.decode()
    assert (
        '<svg class="figure-chart" role="img"' in text
        and "<script" not in text.split("<main", 1)[1].split("</main>")[0]
    )
    assert "style=" not in text.split("<svg", 1)[1]  # the CSP allows no inline style
    assert "peers/css/figures.css" in text
    from django.contrib.staticfiles import finders

    assert "@media print" in open(finders.find("peers/css/figures.css")).read()


def _grow(program):
    def grow():
        for month in (8, 9, 10, 11):
            session = SessionFactory(
                program=program, starts_at=datetime.datetime(2026, month, 10, 22, tzinfo=datetime.UTC)
            )
            for _ in range(3):
                user = MembershipFactory(program=program, role=Role.TRAINEE).user
                Booking.objects.create(session=session, user=user, round_key=f"s{session.pk}", attended=True)

    return grow


@pytest.mark.parametrize("period", ["2026-fall", "2026", "2025-spring"])
def test_the_program_page_costs_the_same_queries_whatever_the_period_and_the_data(client, coordinator, program, period):
    client.force_login(coordinator)
    # Queries: session, user, TOTP check, memberships, programs coordinated; sessions:
    # monthly counts, reach, trainees, facilitator load; feedback by topic and by format
    # (groups, comments), which a closed period adds; mentoring: on time by channel,
    # escalations, contacted by month, met by term, pairs, cycles; support: the first request and
    # the stored months (support_requests/tests/test_figures.py pins it with requests).
    expected = {"2026-fall": 22, "2026": 18, "2025-spring": 22}[period]
    assert_fixed_queries(client, _url(program, period=period), expected, grow=_grow(program))


def test_the_office_page_costs_the_same_queries_however_many_programs(client, office, program, other_program):
    client.force_login(office[0])
    url = reverse("figures:office") + "?period=2026-fall"

    def grow():
        _grow(program)()
        _grow(other_program)()

    # Queries: session, user, TOTP check, programs; sessions by program, reach by program,
    # trainees by program; mentoring's contacts by program, mentees met by program; support's
    # published months of every program, their first requests; the navigation's memberships
    # and unread count.
    assert_fixed_queries(client, url, OFFICE_QUERIES, grow=grow)


def test_the_navigation_leads_coordinators_and_the_office_to_their_figures(
    client, coordinator, office, trainee, program
):
    client.force_login(coordinator)
    assert f'href="{_url(program)}"' in client.get(reverse("home")).content.decode()
    client.force_login(office[0])
    assert f'href="{reverse("figures:office")}"' in client.get(reverse("home")).content.decode()
    client.force_login(trainee)
    assert ">\n            Figures" not in client.get(reverse("home")).content.decode()
    assert "/figures/" not in client.get(reverse("home")).content.decode()
