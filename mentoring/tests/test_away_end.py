"""Ending an away notice early (mentoring/services/duties.away_end and the mentoring
page): only its author ends it, the row stays, whoever was told is told it ended, and
ending twice changes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring import selectors, services
from mentoring.clock import program_today
from mentoring.models import AwayNotice
from peers.models import Notification

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _today(world):
    return program_today(world["cycle"].program)


def _post(world, start, end, *, tell_mentees=True):
    return services.away_post(
        mentor=world["third"],
        pair=world["pair"],
        starts_on=start,
        ends_on=end,
        reason="exams",
        tell_mentees=tell_mentees,
    )


def _on_duty_today(world):
    return [user.pk for user in selectors.on_duty(pair=world["pair"], day=_today(world))]


def test_ending_a_current_notice_puts_the_mentor_back_on_duty_today_and_keeps_the_row(pair_world):
    today = _today(pair_world)
    notice = _post(pair_world, today - 2 * DAY, today + 5 * DAY)
    assert pair_world["third"].pk not in _on_duty_today(pair_world)

    assert services.away_end(notice=notice, by=pair_world["third"]) is True

    notice.refresh_from_db()
    assert (notice.starts_on, notice.ends_on) == (today - 2 * DAY, today - DAY)
    assert pair_world["third"].pk in _on_duty_today(pair_world)


def test_ending_an_upcoming_notice_leaves_it_away_on_no_day(pair_world):
    today = _today(pair_world)
    notice = _post(pair_world, today + 3 * DAY, today + 6 * DAY)

    services.away_end(notice=notice, by=pair_world["third"])

    notice.refresh_from_db()
    assert AwayNotice.objects.filter(pk=notice.pk).exists()
    assert notice.ends_on == notice.starts_on - DAY
    for day in range(8):
        away = selectors.on_duty(pair=pair_world["pair"], day=today + day * DAY)
        assert pair_world["third"].pk in [user.pk for user in away]


def test_the_partner_and_the_told_mentees_are_told_it_ended_once(pair_world):
    today = _today(pair_world)
    notice = _post(pair_world, today, today + 4 * DAY)

    services.away_end(notice=notice, by=pair_world["third"])
    assert services.away_end(notice=notice, by=pair_world["third"]) is False  # twice: nothing changes

    told = Notification.objects.filter(kind="mentor_back")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [pair_world["fourth"].pk, pair_world["mentee_user"].pk]
    )
    mentee_note = told.get(recipient=pair_world["mentee_user"])
    assert "answers your messages again from today" in mentee_note.body


def test_mentees_not_told_of_the_absence_are_not_told_it_ended(pair_world):
    today = _today(pair_world)
    notice = _post(pair_world, today, today + 4 * DAY, tell_mentees=False)

    services.away_end(notice=notice, by=pair_world["third"])

    assert list(Notification.objects.filter(kind="mentor_back").values_list("recipient_id", flat=True)) == [
        pair_world["fourth"].pk
    ]


def test_only_the_author_ends_their_away_notice(pair_world):
    today = _today(pair_world)
    notice = _post(pair_world, today, today + 4 * DAY)

    with pytest.raises(ValidationError, match="Only the mentor who posted"):
        services.away_end(notice=notice, by=pair_world["fourth"])

    notice.refresh_from_db()
    assert notice.ends_on == today + 4 * DAY
    assert not Notification.objects.filter(kind="mentor_back").exists()


def test_the_partner_tapping_end_is_refused_on_the_page(client, pair_world):
    today = _today(pair_world)
    notice = _post(pair_world, today, today + 4 * DAY)
    client.force_login(pair_world["fourth"])

    response = client.post(reverse("mentoring:away_end", args=[notice.pk]), follow=True)

    assert "Only the mentor who posted an away notice ends it." in response.content.decode()
    notice.refresh_from_db()
    assert notice.ends_on == today + 4 * DAY


def test_the_page_shows_the_active_notice_at_the_top_and_ends_it(client, pair_world):
    today = _today(pair_world)
    _post(pair_world, today, today + 4 * DAY)
    client.force_login(pair_world["third"])

    page = client.get(reverse("mentoring:home")).content.decode()
    assert "You are away from" in page and "Fourth answers meanwhile" in page
    notice = AwayNotice.objects.get()
    assert page.index("End my away notice now") < page.index("Log a meeting")

    page = client.post(reverse("mentoring:away_end", args=[notice.pk]), follow=True).content.decode()
    assert "Your away notice has ended" in page
    assert "End my away notice now" not in page


def test_an_outsider_cannot_reach_a_pairs_away_notice(client, pair_world):
    notice = _post(pair_world, _today(pair_world), _today(pair_world) + DAY)
    client.force_login(pair_world["mentee_user"])
    assert client.post(reverse("mentoring:away_end", args=[notice.pk])).status_code == 404


def test_a_faculty_mentor_told_to_cover_is_told_they_no_longer_do(pair_world):
    today = _today(pair_world)
    services.away_post(
        mentor=pair_world["fourth"],
        pair=pair_world["pair"],
        starts_on=today,
        ends_on=today + 4 * DAY,
        reason="travel",
        tell_mentees=True,
    )
    notice = _post(pair_world, today + DAY, today + 3 * DAY)
    assert selectors.on_duty(pair=pair_world["pair"], day=today + 2 * DAY) == [pair_world["faculty"]]

    services.away_end(notice=notice, by=pair_world["third"])

    note = Notification.objects.get(kind="mentor_back", recipient=pair_world["faculty"])
    assert "you no longer cover for the pair" in note.body
    mentee_note = Notification.objects.get(kind="mentor_back", recipient=pair_world["mentee_user"])
    assert "will not be away after all" in mentee_note.body
    assert selectors.on_duty(pair=pair_world["pair"], day=today + 2 * DAY) == [pair_world["third"]]
