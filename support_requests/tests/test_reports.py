"""The support report publishes closed months only, each once, through the suppression
engine (peers.suppression, attacked in peers/tests/test_suppression.py)."""

import datetime
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from peers.models import PublishedTable, TrainingProgram
from peers.services import published
from peers.suppression import SMALL, SUPPRESSED
from support_requests import reports, services
from support_requests.models import SupportRequest

pytestmark = pytest.mark.django_db

REASONS = [value for value, _ in reports.REASONS]


def at(text):
    """A moment in the program's zone (America/Toronto)."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone(datetime.timedelta(hours=-5)))


def _requests(make_request, when, **by_reason):
    with time_machine.travel(at(when), tick=False):
        return [make_request(reason=reason) for reason, n in by_reason.items() for _ in range(n)]


def _report_at(program, when):
    with time_machine.travel(at(when), tick=False):
        return reports.program_report(program)


def _row(report, month):
    rows = {row["month"]: row for row in report["months"]}
    return rows.get(month)


def test_a_closed_month_by_reason_with_small_cells_suppressed(program, make_request):
    _requests(make_request, "2026-03-10T09:00", burnout=6, complaint=2)
    assert _report_at(program, "2026-03-31T12:00")["months"] == []  # the open month never shows
    row = _row(_report_at(program, "2026-04-02T09:00"), datetime.date(2026, 3, 1))
    assert row["reasons"][REASONS.index("complaint")] == SMALL
    assert row["reasons"][REASONS.index("burnout")] == SUPPRESSED  # its partner in the row
    assert row["total"] == "8"


def test_a_month_closes_when_it_ends_in_the_programs_time_zone(program, make_request):
    _requests(make_request, "2026-03-31T20:00", burnout=5)
    with time_machine.travel(datetime.datetime(2026, 4, 1, 3, 0, tzinfo=datetime.UTC), tick=False):
        assert reports.program_report(program)["months"] == []  # still March 31st in Toronto
    with time_machine.travel(datetime.datetime(2026, 4, 1, 5, 0, tzinfo=datetime.UTC), tick=False):
        (row,) = reports.program_report(program)["months"]
    assert row["month"] == datetime.date(2026, 3, 1) and row["total"] == "5"


def test_two_consecutive_reports_differ_only_by_the_month_that_closed(program, make_request):
    _requests(make_request, "2026-01-12T10:00", burnout=7, conflict=3)
    _requests(make_request, "2026-02-03T10:00", burnout=5, complaint=1, other=6)
    _requests(make_request, "2026-03-02T10:00", burnout=2)
    before = _report_at(program, "2026-03-20T10:00")
    _requests(make_request, "2026-03-25T10:00", burnout=4, complaint=1, conflict=5)  # the open month goes on
    after = _report_at(program, "2026-04-01T10:00")

    assert [row["month"] for row in before["months"]] == [datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)]
    assert after["months"][:2] == before["months"]  # the earlier months are identical: nothing to subtract
    (march,) = after["months"][2:]
    assert march["month"] == datetime.date(2026, 3, 1) and march["total"] == "12"  # all of March, from March alone
    assert march["reasons"][REASONS.index("burnout")] == "6"
    assert march["reasons"][REASONS.index("complaint")] == SMALL
    assert march["reasons"][REASONS.index("conflict")] == SUPPRESSED


def test_a_published_month_does_not_change_when_its_requests_are_recategorised_or_purged(
    program, make_request, settings
):
    requests = _requests(make_request, "2026-03-10T09:00", burnout=6, complaint=6)
    first = _row(_report_at(program, "2026-04-02T09:00"), datetime.date(2026, 3, 1))
    assert first["reasons"][REASONS.index("complaint")] == "6" and first["total"] == "12"

    SupportRequest.objects.filter(pk__in=[r.pk for r in requests[6:8]]).update(reason="conflict")
    with time_machine.travel(at("2026-04-03T09:00"), tick=False):
        services.request_close(request=requests[0], outcome="supported")
    with time_machine.travel(at("2026-11-01T09:00"), tick=False):
        assert services.requests_purge() == 1
    requests[11].delete()

    later = _row(_report_at(program, "2026-11-02T09:00"), datetime.date(2026, 3, 1))
    assert later == first


def test_time_to_first_contact_and_referrals_by_closed_month(program, make_request, make_supporter):
    requests = _requests(make_request, "2026-05-04T09:00", burnout=6)
    SupportRequest.objects.filter(pk__in=[r.pk for r in requests]).update(status="assigned")
    with time_machine.travel(at("2026-05-04T15:00"), tick=False):
        for request in requests[:5]:
            services.request_record_contact(request=request)
        services.referral_add(request=requests[0], resource="counselling")
    with time_machine.travel(at("2026-06-01T08:00"), tick=False):
        services.request_record_contact(request=requests[5])  # a June first contact
    report = _report_at(program, "2026-07-01T09:00")
    may, june = report["months"]
    assert may["first_contact"] == {"contacted": "5", "median_hours": 6.0}
    assert june["first_contact"] == {"contacted": SMALL, "median_hours": None}  # one contact: no median
    resources = [value for value, _ in reports.RESOURCES]
    assert may["referrals"][resources.index("counselling")] == SMALL
    assert may["referrals_total"] == SMALL
    assert june["referrals_total"] == "0"


def test_a_month_is_stored_once_and_a_concurrent_first_read_keeps_its_row(program, make_request, monkeypatch):
    _requests(make_request, "2026-03-10T09:00", burnout=6)
    _report_at(program, "2026-04-02T09:00")
    _report_at(program, "2026-04-03T09:00")
    assert PublishedTable.objects.filter(program=program, kind=reports.KIND).count() == 1
    # Another first read stored March while this one was computing: its row stands.
    PublishedTable.objects.filter(program=program).update(table={**PublishedTable.objects.get().table, "x": 1})
    real, calls = published._stored, []

    def stored_before_the_other_read(*args):
        calls.append(1)
        return {} if len(calls) == 1 else real(*args)

    monkeypatch.setattr(published, "_stored", stored_before_the_other_read)
    _report_at(program, "2026-04-04T09:00")
    assert PublishedTable.objects.get().table["x"] == 1 and len(calls) == 2


def test_the_open_month_is_never_published(program):
    with time_machine.travel(at("2026-04-10T09:00"), tick=False), pytest.raises(ValueError, match="closed"):
        published.published_tables(
            program=program, kind="test", periods=[datetime.date(2026, 4, 1)], compute=lambda months: {}
        )


@pytest.mark.parametrize("months", [2, 6])
def test_the_report_page_costs_the_same_queries_however_many_months(
    client, program, coordinator, make_request, django_assert_num_queries, months
):
    for n in range(months):
        _requests(make_request, f"2027-{n + 1:02d}-10T09:00", burnout=3 + n, complaint=1)
    url = reverse("support:report")
    with time_machine.travel(at("2027-08-10T09:00"), tick=False):
        client.force_login(coordinator)
        # Queries: session, user, TOTP check, memberships, programs; the first request, the
        # stored months; three aggregates for the months not stored yet; the insert (with
        # pghistory's context); the stored months again; the inbox badge; whether any
        # requester gave feedback (support_requests.feedback).
        with django_assert_num_queries(14):
            first = client.get(url)
        with django_assert_num_queries(9):  # once stored, no aggregates and no insert
            again = client.get(url)
    assert first.content == again.content
    assert "Jan 2027" in again.content.decode() and "Aug 2027" not in again.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_first_reads_of_a_closed_month_store_one_row(program, make_request, monkeypatch):
    _requests(make_request, "2026-03-10T09:00", burnout=6, complaint=2)
    both_computed = threading.Barrier(2, timeout=20)
    compute = reports._compute

    def compute_then_wait(*args):
        figures = compute(*args)
        both_computed.wait()  # neither has stored March yet when the other inserts
        return figures

    monkeypatch.setattr(reports, "_compute", compute_then_wait)
    shown, errors = [], []

    def read():
        try:
            shown.append(reports.program_report(program)["months"])
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    with time_machine.travel(at("2026-04-02T09:00"), tick=False):
        threads = [threading.Thread(target=read) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert PublishedTable.objects.filter(program=program, kind=reports.KIND).count() == 1
    assert shown[0] == shown[1]


def test_the_demo_report_shows_two_closed_months_and_not_the_open_one(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    program = TrainingProgram.objects.get(name="Internal Medicine Residency")
    months = reports.program_report(program)["months"]
    assert [row["total"] for row in months] == ["16", "14"]  # the two requests of this month wait for it to close
    assert months[0]["first_contact"]["median_hours"] is not None
