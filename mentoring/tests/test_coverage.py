"""When both peer mentors are away (mentoring/services/duties.away_post): the faculty
mentor is told once that they cover, the mentees are told who covers, and nobody is
told that an away mentor will answer."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from mentoring import services
from peers.models import Notification

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _post(world, mentor, start, end, *, tell_mentees=True):
    return services.away_post(
        mentor=world[mentor],
        pair=world["pair"],
        starts_on=start,
        ends_on=end,
        reason="exams",
        tell_mentees=tell_mentees,
    )


def _bodies(world, who, kind):
    sent = Notification.objects.filter(recipient=world[who], kind=kind).order_by("pk")
    return list(sent.values_list("body", flat=True))


def test_one_mentor_away_the_mentee_is_told_the_partner_answers(pair_world):
    today = timezone.localdate()
    _post(pair_world, "third", today, today + 5 * DAY)
    (body,) = _bodies(pair_world, "mentee_user", "mentor_away")
    assert "Fourth will answer you meanwhile" in body
    assert not Notification.objects.filter(kind="faculty_covering").exists()


def test_both_away_the_mentee_is_told_the_faculty_mentor_covers_never_that_the_partner_answers(pair_world):
    today = timezone.localdate()
    _post(pair_world, "third", today, today + 5 * DAY)
    _post(pair_world, "fourth", today + 2 * DAY, today + 9 * DAY)
    second = _bodies(pair_world, "mentee_user", "mentor_away")[-1]
    assert "Fourth is away from" in second
    assert "Third is away too" in second and "Faculty, your faculty mentor, answers your messages" in second
    assert "Third on the other days" in second and "will answer you meanwhile" not in second
    (to_partner,) = _bodies(pair_world, "third", "mentor_away")
    assert "you are away then too, so Faculty, your faculty mentor, covers" in to_partner
    (to_faculty,) = _bodies(pair_world, "faculty", "faculty_covering")
    assert "you are on duty for their mentees then" in to_faculty and "Mentee" not in to_faculty


def test_the_faculty_mentor_is_told_once_however_often_the_same_days_are_posted(pair_world):
    today = timezone.localdate()
    _post(pair_world, "third", today, today + 5 * DAY)
    _post(pair_world, "fourth", today, today + 5 * DAY)
    _post(pair_world, "fourth", today, today + 5 * DAY)  # posted twice by mistake
    assert len(_bodies(pair_world, "faculty", "faculty_covering")) == 1


def test_mentees_not_told_of_the_absence_still_learn_who_covers(pair_world):
    today = timezone.localdate()
    _post(pair_world, "third", today, today + 3 * DAY, tell_mentees=False)
    _post(pair_world, "fourth", today, today + 3 * DAY, tell_mentees=False)
    assert not _bodies(pair_world, "mentee_user", "mentor_away")
    (body,) = _bodies(pair_world, "mentee_user", "faculty_covering")
    assert "Both your peer mentors are away" in body and "Faculty, your faculty mentor, answers your messages" in body
    assert "exams" not in body


def test_a_late_contact_asks_the_covering_faculty_mentor_to_answer_not_to_check_in_with_away_mentors(pair_world):
    today = timezone.localdate()
    _post(pair_world, "third", today, today + 9 * DAY)
    _post(pair_world, "fourth", today, today + 9 * DAY)
    contact = services.contact_create(mentee=pair_world["mentee"], channel="text", message="x")
    with time_machine.travel(contact.due_at + datetime.timedelta(hours=25)):
        services.contacts_escalate()
    (overdue,) = _bodies(pair_world, "faculty", "contact_overdue")
    (escalated,) = _bodies(pair_world, "faculty", "contact_escalated_faculty")
    assert "you cover for them: please answer it today" in escalated
    assert "check in with the peer mentors" not in escalated


def test_with_a_mentor_present_the_faculty_mentor_is_asked_to_check_in(pair_world):
    contact = services.contact_create(mentee=pair_world["mentee"], channel="text", message="x")
    with time_machine.travel(contact.due_at + datetime.timedelta(hours=25)):
        services.contacts_escalate()
    (escalated,) = _bodies(pair_world, "faculty", "contact_escalated_faculty")
    assert "check in with the peer mentors" in escalated
