"""What people read about a pair that runs with one mentor (its other mentor was taken to
replace someone in another pair): one peer mentor, never "both" or "the other", and the
faculty mentor covering whenever that mentor is away; and, when the seat is filled, a
newcomer in an empty seat, not "in the place of" someone who left."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from mentoring import services
from mentoring.models import MentorPair
from mentoring.tests.repairing_helpers import applied, person, second_pair
from peers.models import Membership, Notification

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2026, 10, 26, 15, tzinfo=datetime.UTC)


@pytest.fixture
def alone(pair_world):
    """Pair B (Bea Third & Cal Fourth, two mentees) gives Bea to pair A, whose Third
    leaves: B runs with Cal alone."""
    cycle = pair_world["cycle"]
    applied(cycle, pair_world["third"], year=3, status="selected")
    applied(cycle, pair_world["fourth"], year=4, status="selected")
    b = second_pair(cycle, mentees=2)
    Membership.objects.filter(program=cycle.program).update(starts_on=datetime.date(2026, 7, 1))
    bea = b.third_year
    with time_machine.travel(MONDAY, tick=False):
        services.pair_mentor_replace(
            pair=pair_world["pair"],
            outgoing=pair_world["third"],
            incoming=bea,
            from_pair=b,
            by=pair_world["coordinator"],
        )
    b = MentorPair.objects.select_related("fourth_year", "faculty_mentor").get(pk=b.pk)
    return {**pair_world, "b": b, "bea": bea, "cal": b.fourth_year, "place": b.mentees.order_by("pk").first()}


def _away(world, *, days=(26, 30), tell_mentees=False):
    return services.away_post(
        mentor=world["cal"],
        pair=world["b"],
        starts_on=datetime.date(2026, 10, days[0]),
        ends_on=datetime.date(2026, 10, days[1]),
        reason="Exams",
        tell_mentees=tell_mentees,
    )


def _body(person, kind) -> str:
    return Notification.objects.get(recipient=person, kind=kind).body


def _page(client, who, name="mentoring:home", args=()) -> str:
    client.force_login(who)
    return client.get(reverse(name, args=args)).content.decode()


def test_the_mentee_reads_of_one_peer_mentor_and_no_other_one_away(client, alone):
    with time_machine.travel(MONDAY, tick=False):
        page = _page(client, alone["place"].user)
    assert "Your peer mentor</h2>" in page and "Cal Fourth, with" in page
    assert "Your pair has one peer mentor for now: the coordinators will name a second one" in page
    assert "the other peer mentor is away" not in page


def test_while_their_one_mentor_is_away_the_mentee_reads_that_the_faculty_mentor_covers(client, alone):
    faculty = alone["b"].faculty_mentor.get_full_name()
    with time_machine.travel(MONDAY, tick=False):
        _away(alone)
        client.force_login(alone["place"].user)
        sent = client.post(
            reverse("mentoring:contact"), {"place": alone["place"].pk, "channel": "text", "message": "Hi"}
        )
        thread = client.get(sent.url).content.decode()
        page = _page(client, alone["place"].user)
    assert f"Your peer mentor is away today. {faculty}, your faculty mentor, covers for them" in page
    assert f"Sent. Your peer mentor is away, so {faculty}, your faculty mentor, covers" in thread
    assert f"Your peer mentor is away: {faculty}, your faculty mentor, covers for them and will answer" in thread
    assert "Both" not in page and "Both" not in thread


def test_the_mentor_alone_reads_that_the_faculty_mentor_covers_while_they_are_away(client, alone):
    faculty = alone["b"].faculty_mentor.get_full_name()
    data = {"starts_on": "2026-10-26", "ends_on": "2026-10-30", "reason": "Exams"}
    with time_machine.travel(MONDAY, tick=False):
        client.force_login(alone["cal"])
        posted = client.post(reverse("mentoring:away"), data, follow=True).content.decode()
        services.contact_create(mentee=alone["place"], channel="text", message="Hi")
        page = _page(client, alone["cal"])
        covering = _page(client, alone["b"].faculty_mentor)
    assert f"{faculty}, your faculty mentor, has been told: your pair has no second peer mentor for now" in posted
    assert "Your partner has been told" not in posted
    assert f"your pair has no second peer mentor for now, so {faculty}, your faculty mentor, covers" in page
    assert f"You're away: {faculty}, your faculty mentor, covers this one." in page
    assert "The pair's one peer mentor is away today: you cover for them." in covering
    assert "both away" not in page and "Both peer mentors" not in covering


def test_the_notices_of_an_absence_in_a_pair_with_one_mentor_speak_of_one_mentor(alone):
    mentee = alone["place"].user
    with time_machine.travel(MONDAY, tick=False):
        notice = _away(alone, days=(27, 30))  # not told to the mentees: they still learn who covers
        services.away_end(notice=notice, by=alone["cal"])
    covering = _body(mentee, "faculty_covering")
    assert "Your peer mentor is away from Tue Oct 27" in covering and "Both" not in covering
    assert (
        "Your peer mentor is away from" in Notification.objects.get(recipient=mentee, kind="faculty_covering").body_html
    )
    assert "The one peer mentor of one of your pairs" in _body(alone["b"].faculty_mentor, "faculty_covering")
    back = _body(mentee, "mentor_back")  # told it ended, as they were told who covers
    assert "Cal Fourth will not be away after all and answers your messages again from today." in back
    assert (
        "partner" not in back
        and "partner" not in Notification.objects.get(recipient=mentee, kind="mentor_back").body_html
    )


def test_filling_the_empty_seat_says_so_not_in_the_place_of_someone(alone):
    newcomer = person(alone["cycle"].program, "Hal Waitlist")
    applied(alone["cycle"], newcomer, year=3, status="waitlisted")
    with time_machine.travel(MONDAY, tick=False):
        services.pair_mentor_replace(pair=alone["b"], outgoing=alone["bea"], incoming=newcomer, by=alone["coordinator"])
    to_mentee = _body(alone["place"].user, "mentor_replaced")
    assert "Hal Waitlist is now a peer mentor of your group: the seat left empty when Bea Third moved" in to_mentee
    assert "your group has two peer mentors again, Hal Waitlist and Cal Fourth" in to_mentee
    assert "in the place of" not in to_mentee
    assert "in the seat left empty when Bea Third moved to another pair" in _body(newcomer, "mentor_replaced")


def test_a_mentee_moved_to_a_pair_with_one_mentor_is_told_of_one_peer_mentor(alone):
    with time_machine.travel(MONDAY, tick=False):
        services.mentee_move(mentee=alone["mentee"], to_pair=alone["b"], by=alone["coordinator"])
    notice = Notification.objects.get(recipient=alone["mentee_user"], kind="mentee_moved")
    assert notice.subject == "You have a new peer mentor"
    assert "Your peer mentor is now Cal Fourth (the pair has one peer mentor for now" in notice.body


def test_the_faculty_escalation_for_a_pair_with_one_mentor_away_speaks_of_one_mentor(alone):
    from mentoring import notify

    with time_machine.travel(MONDAY, tick=False):
        contact = services.contact_create(mentee=alone["place"], channel="text", message="Hi")
        notify.contact_escalated_faculty([(contact, True)])
    body = _body(alone["b"].faculty_mentor, "contact_escalated_faculty")
    assert "The pair's one peer mentor is away, so you cover for them" in body
