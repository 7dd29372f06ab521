"""A coordinator edits a series in the admin and its future sessions follow
(SessionSeriesAdmin.save_related → services.series_update): past sessions and fields
changed by hand stay as they were, moved sessions are reminded again at their new time,
and each person booked or co-facilitating is told once per edit, with calendar entries
that keep their UID and raise their SEQUENCE."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from peers.models import Notification
from peers.testing.concurrency import run_concurrently
from sessions_app import calendar as ics
from sessions_app import services
from sessions_app.models import Booking, Facilitation, Session
from sessions_app.tests.factories import SeriesFactory, SessionFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
DECEMBER = datetime.date(2026, 12, 8)  # second Tuesday


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def series(program):
    """Rounds on the second Tuesday, Sep 2026 to Jan 2027, noon Toronto, two groups."""
    series = SeriesFactory(
        program=program,
        term_starts_on=datetime.date(2026, 9, 1),
        term_ends_on=datetime.date(2027, 1, 31),
        location="Main hall",
        join_link="https://video.example/series",
    )
    series.groups.create(number=1, location="Room 101")
    series.groups.create(number=2)
    services.series_generate_sessions(series=series)
    return series


@pytest.fixture
def december(series):
    return Session.objects.get(series=series, round_date=DECEMBER, group_number=1)


@pytest.fixture
def people(december, trainee, facilitator):
    services.booking_create(session=december, user=trainee)
    Facilitation.objects.create(session=december, user=facilitator, slot=1)
    Notification.objects.all().delete()
    return trainee, facilitator


def _data(series, **changes) -> dict:
    data = {
        "program": series.program_id,
        "name": series.name,
        "cadence": series.cadence,
        "week_of_month": series.week_of_month,
        "weekday": series.weekday,
        "local_start_time": series.local_start_time.strftime("%H:%M:%S"),
        "duration_minutes": series.duration_minutes,
        "term_starts_on": series.term_starts_on.isoformat(),
        "term_ends_on": series.term_ends_on.isoformat(),
        "modality": series.modality,
        "location": series.location,
        "join_link": series.join_link,
        "group_size": "",
        "groups-TOTAL_FORMS": "2",
        "groups-INITIAL_FORMS": "2",
        "groups-MIN_NUM_FORMS": "0",
        "groups-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(series.groups.order_by("number")):
        data |= {
            f"groups-{index}-id": row.pk,
            f"groups-{index}-series": series.pk,
            f"groups-{index}-number": row.number,
            f"groups-{index}-location": row.location,
            f"groups-{index}-join_link": row.join_link,
        }
    data |= changes
    return {key: str(value) for key, value in data.items() if value is not False}


def _save(client, series, **changes):
    url = reverse("admin:sessions_app_sessionseries_change", args=[series.pk])
    response = client.post(url, _data(series, **changes), follow=True)
    assert response.status_code == 200 and "errornote" not in response.content.decode()
    return response.content.decode()


def _times(series) -> dict:
    sessions = Session.objects.filter(series=series, group_number=1).order_by("round_date")
    return {s.round_date.month: timezone.localtime(s.starts_at).strftime("%H:%M") for s in sessions}


def test_a_new_time_length_room_link_and_format_reach_future_sessions_only(client, coordinator, series, people):
    client.force_login(coordinator)
    page = _save(
        client,
        series,
        local_start_time="13:30:00",
        duration_minutes=90,
        location="Library",
        join_link="https://video.example/new",
        modality="hybrid",
    )
    assert _times(series) == {9: "12:00", 10: "12:00", 11: "12:00", 12: "13:30", 1: "13:30"}
    december_groups = Session.objects.filter(series=series, round_date=DECEMBER).order_by("group_number")
    assert [(s.location, s.join_link, s.modality, s.duration_minutes) for s in december_groups] == [
        ("Room 101", "https://video.example/new", "hybrid", 90),  # the group's own room wins
        ("Library", "https://video.example/new", "hybrid", 90),
    ]
    past = Session.objects.get(series=series, round_date=datetime.date(2026, 11, 10), group_number=2)
    assert (past.location, past.modality, past.duration_minutes) == ("Main hall", "in_person", 60)
    assert "4 future session(s) now follow the series; 2 people" in page


def test_each_person_is_told_once_with_the_same_uid_and_a_higher_sequence(client, coordinator, series, people):
    trainee, facilitator = people
    december = Session.objects.get(series=series, round_date=DECEMBER, group_number=1)
    before = Calendar.from_ical(ics.session_ics(december, user_id=trainee.pk, bump=False)).walk("VEVENT")[0]
    client.force_login(coordinator)
    _save(client, series, local_start_time="13:30:00")
    told = Notification.objects.filter(kind="series_changed")
    assert sorted(told.values_list("recipient__email", flat=True)) == [facilitator.email, trainee.email]
    message = told.get(recipient=trainee)
    assert "Tue Dec 8, 2026, 13:30" in message.body and "Room 101" in message.body
    (attachment,) = message.attachments
    (event,) = Calendar.from_ical(attachment["content"]).walk("VEVENT")
    assert str(event["uid"]) == str(before["uid"])
    assert int(event["sequence"]) > int(before["sequence"])
    assert event.decoded("dtstart").astimezone(datetime.UTC) == datetime.datetime(2026, 12, 8, 18, 30, tzinfo=UTC)
    assert "you co-facilitate" in told.get(recipient=facilitator).body


def test_saving_again_or_without_a_change_tells_nobody_twice_and_changes_nothing(client, coordinator, series, people):
    client.force_login(coordinator)
    _save(client, series, join_link="https://video.example/new")
    sequences = dict(Session.objects.filter(series=series).values_list("pk", "sequence"))
    series.refresh_from_db()
    page = _save(client, series)  # the same values again
    assert "now follow the series" not in page
    assert dict(Session.objects.filter(series=series).values_list("pk", "sequence")) == sequences
    assert Notification.objects.filter(kind="series_changed").count() == 2


def test_a_session_changed_by_hand_keeps_its_change_unless_the_coordinator_asks(
    client, coordinator, series, december, people
):
    december.location = "Room 5"
    services.session_update(session=december, changed=["location"])
    client.force_login(coordinator)
    series.groups.filter(number=1).update(location="")
    series.refresh_from_db()
    page = _save(client, series, location="Library", **{"groups-0-location": ""})
    december.refresh_from_db()
    assert december.location == "Room 5" and december.changed_by_hand == ["location"]
    assert "1 session(s) changed by hand kept their own settings" in page
    assert Session.objects.get(series=series, round_date=DECEMBER, group_number=2).location == "Library"
    assert not Notification.objects.filter(kind="series_changed", recipient=people[0]).exists()

    series.refresh_from_db()
    _save(client, series, overwrite_hand_changes="on", **{"groups-0-location": ""})
    december.refresh_from_db()
    assert december.location == "Library" and december.changed_by_hand == []
    assert Notification.objects.filter(kind="series_changed", recipient=people[0]).count() == 1


def test_a_group_rows_new_room_and_link_reach_that_groups_sessions(client, coordinator, series, people):
    client.force_login(coordinator)
    _save(client, series, **{"groups-1-location": "Room 202", "groups-1-join_link": "https://video.example/two"})
    rooms = set(
        Session.objects.filter(series=series, starts_at__gt=NOW).values_list("group_number", "location", "join_link")
    )
    assert rooms == {
        (1, "Room 101", "https://video.example/series"),
        (2, "Room 202", "https://video.example/two"),
    }
    assert not Notification.objects.filter(kind="series_changed").exists()  # nobody booked in group 2


def test_a_moved_session_is_reminded_again_at_its_new_time_once(series, december, people):
    trainee, _ = people
    with time_machine.travel(december.starts_at - datetime.timedelta(hours=20), tick=False):
        services.sessions_remind()
        series.local_start_time = datetime.time(20, 0)  # 28 hours to go now
        series.save()
        services.series_update(series=series)
        assert services.sessions_remind() == 0
    with time_machine.travel(december.starts_at - datetime.timedelta(hours=20) + datetime.timedelta(hours=5)):
        assert services.sessions_remind() >= 1
        assert services.sessions_remind() == 0
    reminders = Notification.objects.filter(kind="session_reminder", recipient=trainee)
    assert reminders.count() == 2  # the old time's, then the new time's: each once


def test_a_moved_session_short_of_facilitators_is_checked_again(series, december, people, coordinator):
    with time_machine.travel(december.starts_at - datetime.timedelta(days=6)):
        services.sessions_alert_coverage()
        series.local_start_time = datetime.time(16, 0)
        series.save()
        services.series_update(series=series)
        services.sessions_alert_coverage()
    alerts = Notification.objects.filter(kind="coverage_alert", recipient=coordinator, link__contains=str(december.pk))
    assert alerts.count() == 2


def test_a_session_whose_facilitator_is_busy_at_the_new_time_is_left_and_named(series, december, people, program):
    _, facilitator = people
    busy = SessionFactory(program=program, starts_at=december.starts_at + datetime.timedelta(hours=2))
    Facilitation.objects.create(session=busy, user=facilitator, slot=1)
    series.local_start_time = datetime.time(14, 0)
    series.save()
    result = services.series_update(series=series)
    december.refresh_from_db()
    assert timezone.localtime(december.starts_at).strftime("%H:%M") == "12:00"
    assert any("co-facilitates another session at that time" in problem for problem in result.refused)


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_edit_at_once_tell_each_person_once(series, people):
    series.join_link = "https://video.example/new"
    series.save()
    save = lambda: services.series_update(series=series)  # noqa: E731
    results = run_concurrently(save, save)
    assert not [r for r in results if isinstance(r, Exception)]
    assert sorted(len(r.updated) for r in results) == [0, 4]
    assert Notification.objects.filter(kind="series_changed").count() == 2
    assert Booking.objects.filter(status="booked").count() == 1
