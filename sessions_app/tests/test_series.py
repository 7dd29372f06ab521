import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peers.models import Role
from peers.tests.factories import MembershipFactory
from sessions_app.models import Session
from sessions_app.scheduling import nth_weekday, round_dates
from sessions_app.services import series_generate_sessions, series_time_problems
from sessions_app.tests.factories import SeriesFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_nth_and_last_weekday_of_a_month():
    assert nth_weekday(2026, 11, 1, 2) == datetime.date(2026, 11, 10)  # second Tuesday
    assert nth_weekday(2026, 9, 4, -1) == datetime.date(2026, 9, 25)  # last Friday
    assert nth_weekday(2026, 2, 0, 4) == datetime.date(2026, 2, 23)


def test_cadences_skip_months():
    kwargs = {"starts_on": datetime.date(2026, 9, 1), "ends_on": datetime.date(2027, 6, 30), "weekday": 1, "week": 2}
    assert len(round_dates(cadence="monthly", **kwargs)) == 10
    assert [d.month for d in round_dates(cadence="bimonthly", **kwargs)] == [9, 11, 1, 3, 5]
    assert [d.month for d in round_dates(cadence="quarterly", **kwargs)] == [9, 12, 3, 6]


def test_generation_keeps_noon_local_across_the_daylight_saving_change(program):
    series = SeriesFactory(
        program=program,
        term_starts_on=datetime.date(2026, 10, 1),
        term_ends_on=datetime.date(2026, 11, 30),
        local_start_time=datetime.time(12, 0),
    )
    sessions = sorted(series_generate_sessions(series=series), key=lambda s: s.starts_at)
    assert [s.starts_at.isoformat() for s in sessions] == [
        "2026-10-13T16:00:00+00:00",  # noon EDT (UTC-4)
        "2026-11-10T17:00:00+00:00",  # noon EST (UTC-5), after clocks went back on Nov 1
    ]
    assert all(s.duration_minutes == 60 for s in sessions)


def test_generating_twice_creates_nothing_new(program):
    series = SeriesFactory(program=program)
    series.topics.set([TopicFactory(), TopicFactory()])
    first = series_generate_sessions(series=series)
    assert len(first) == 10
    assert series_generate_sessions(series=series) == []
    assert Session.objects.filter(series=series).count() == 10
    assert {s.topic_id for s in first} == set(series.topics.values_list("pk", flat=True))


def test_parallel_groups_follow_active_trainees_and_group_size(program):
    for _ in range(25):
        MembershipFactory(program=program, role=Role.TRAINEE)
    series = SeriesFactory(
        program=program,
        group_size=10,
        term_starts_on=datetime.date(2026, 12, 1),
        term_ends_on=datetime.date(2026, 12, 31),
    )
    sessions = series_generate_sessions(series=series)
    assert sorted(s.group_number for s in sessions) == [1, 2, 3]  # ceil(25 / 10)
    assert {s.capacity for s in sessions} == {10}


def test_a_start_time_the_clocks_skip_or_repeat_is_flagged_when_generated(client, program, coordinator):
    """02:30 on the spring-forward Sunday does not exist; 01:30 on the fall-back Sunday
    happens twice. The coordinator is told which rounds, and when they will start."""
    spring = SeriesFactory(
        program=program,
        name="Night shift circle",
        term_starts_on=datetime.date(2027, 3, 1),
        term_ends_on=datetime.date(2027, 3, 31),
        weekday=6,
        week_of_month=2,
        local_start_time=datetime.time(2, 30),
    )
    autumn = SeriesFactory(
        program=program,
        term_starts_on=datetime.date(2026, 11, 1),
        term_ends_on=datetime.date(2026, 11, 30),
        weekday=6,
        week_of_month=1,
        local_start_time=datetime.time(1, 30),
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:sessions_app_sessionseries_changelist"),
        {"action": "generate_sessions", "_selected_action": [spring.pk, autumn.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "02:30 on Sun Mar 14, 2027 does not exist in America/Toronto" in page
    assert "the session starts at 03:30" in page
    assert "01:30 on Sun Nov 1, 2026 happens twice in America/Toronto" in page
    (session,) = Session.objects.filter(series=spring)
    assert session.starts_at.isoformat() == "2027-03-14T07:30:00+00:00"  # 03:30 EDT, as the message says
    noon = SeriesFactory(program=program, local_start_time=datetime.time(12, 0))
    assert series_time_problems(series=noon) == []


def test_each_group_of_a_series_gets_its_own_room_link_and_facilitators(program, trained_facilitator, advisor):
    series = SeriesFactory(
        program=program,
        term_starts_on=timezone.localdate() + datetime.timedelta(days=30),
        term_ends_on=timezone.localdate() + datetime.timedelta(days=120),
        location="Main hall",
        join_link="https://video.example/series",
    )
    first = series.groups.create(number=1, location="Room 101", join_link="https://video.example/one")
    first.facilitators.set([trained_facilitator("lead@example.edu"), advisor])
    untrained = MembershipFactory(program=program, role=Role.FACILITATOR).user
    series.groups.create(number=2, join_link="https://video.example/two").facilitators.set([untrained])
    series_generate_sessions(series=series)
    rooms = set(Session.objects.filter(series=series).values_list("group_number", "location", "join_link"))
    assert rooms == {(1, "Room 101", "https://video.example/one"), (2, "Main hall", "https://video.example/two")}
    group_one = Session.objects.filter(series=series, group_number=1)
    assert all(
        sorted(s.facilitations.values_list("user__email", "kind"))
        == [
            ("advisor@example.edu", "wellness_advisor"),
            ("lead@example.edu", "facilitator"),
        ]
        for s in group_one
    )
    assert not Session.objects.filter(series=series, group_number=2, facilitations__isnull=False).exists()
    assert series_generate_sessions(series=series) == []  # again: nothing new, nobody twice


def test_a_coordinator_sets_the_groups_on_the_series_page_choosing_only_their_facilitators(
    client, coordinator, program, other_program
):
    series = SeriesFactory(program=program)
    MembershipFactory(program=program, role=Role.FACILITATOR, user__name="Ours Facilitator")
    MembershipFactory(program=other_program, role=Role.FACILITATOR, user__name="Theirs Facilitator")
    client.force_login(coordinator)
    page = client.get(reverse("admin:sessions_app_sessionseries_change", args=[series.pk])).content.decode()
    assert 'name="groups-TOTAL_FORMS"' in page and "Empty uses the series&#x27; room." in page
    assert "Ours Facilitator" in page and "Theirs Facilitator" not in page
