"""After a move, a mentee's duties start afresh with the new pair: what the pair they left
did (meetings, outreach, answered contacts) stays that pair's record and counts nowhere
for the new pair: not its "met this semester" or "contacted this month", not its
reminders, its faculty mentor's monthly summary or the figures."""

import datetime

import pytest
import time_machine

from mentoring import figures, figures_office, selectors, services
from mentoring.models import Contact, DisclosureAcceptance, FacultySummary, Meeting, Mentee, Outreach
from mentoring.tests.repairing_helpers import applied, second_pair
from peers.figures import Period
from peers.models import Membership, Notification

pytestmark = pytest.mark.django_db

OCT_8 = datetime.datetime(2026, 10, 8, 15, tzinfo=datetime.UTC)
OCT_26 = datetime.datetime(2026, 10, 26, 15, tzinfo=datetime.UTC)  # past mid-semester, past the 21st
NOV_2 = datetime.datetime(2026, 11, 2, 15, tzinfo=datetime.UTC)


@pytest.fixture
def moved(pair_world):
    """The mentee met pair A on Oct 5, heard from it on Oct 6 and had a message answered
    on Oct 7; on Oct 8 a coordinator moves them to pair B."""
    world = pair_world
    cycle = world["cycle"]
    cycle.fall_starts_on, cycle.fall_ends_on = datetime.date(2026, 9, 1), datetime.date(2026, 12, 18)
    cycle.save()
    applied(cycle, world["third"], year=3, status="selected")
    applied(cycle, world["fourth"], year=4, status="selected")
    world["b"] = second_pair(cycle)
    Membership.objects.filter(user=world["coordinator"]).update(starts_on=datetime.date(2026, 7, 1))
    mentee = world["mentee"]
    with time_machine.travel(OCT_8):
        meeting = services.meeting_log(
            pair=world["pair"],
            by=world["third"],
            held_on=datetime.date(2026, 10, 5),
            mode="video",
            kind="individual",
            mentees=[mentee],
        )
        services.outreach_log(mentee=mentee, by=world["fourth"], on=datetime.date(2026, 10, 6), channel="text")
        contact = services.contact_create(mentee=mentee, channel="text", message="Thanks for the call")
        services.contact_mark_answered(contact=contact, by=world["third"])
        services.mentee_move(mentee=Mentee.objects.get(pk=mentee.pk), to_pair=world["b"], by=world["coordinator"])
    world.update(meeting=meeting, contact=contact)
    return world


@pytest.fixture
def accepted(moved, statement):
    for mentor in (moved["third"], moved["fourth"], moved["b"].third_year, moved["b"].fourth_year):
        DisclosureAcceptance.objects.create(statement=statement, user=mentor)
    return moved


def test_the_new_pair_has_not_met_or_contacted_the_moved_mentee(moved):
    status = selectors.duty_status(pair=moved["b"], today=datetime.date(2026, 10, 26))
    assert status[moved["mentee"].pk] == {"met": False, "contacted": False}
    # The coordinators' compliance rows read every pair of the cycle together, the old pair's rows too.
    with time_machine.travel(OCT_8):
        rows = selectors.cycle_compliance_rows(cycle=moved["cycle"])
    assert [(pair.pk, mentee.pk, met, contacted) for pair, mentee, met, contacted in rows] == [
        (moved["b"].pk, moved["mentee"].pk, False, False)
    ]


def test_the_new_pairs_mentors_are_reminded_and_the_old_pair_is_not(moved):
    with time_machine.travel(OCT_26):
        services.duties_remind()
    reminded = set(Notification.objects.filter(kind="mentor_duty").values_list("recipient", "subject"))
    b = moved["b"]
    assert reminded == {
        (b.third_year_id, "Monthly contact"),
        (b.fourth_year_id, "Monthly contact"),
        (b.third_year_id, "Meeting each mentee"),
        (b.fourth_year_id, "Meeting each mentee"),
    }


def test_the_old_pair_keeps_its_meeting_outreach_and_contact(moved):
    meeting = Meeting.objects.get(pk=moved["meeting"].pk)
    assert meeting.pair == moved["pair"] and list(meeting.mentees.all()) == [moved["mentee"]]
    assert Outreach.objects.get().pair == moved["pair"]
    assert Contact.objects.get(pk=moved["contact"].pk).pair == moved["pair"]
    # The mentee is met and heard from once pair B does it.
    with time_machine.travel(OCT_26):
        services.meeting_log(
            pair=moved["b"],
            by=moved["b"].third_year,
            held_on=datetime.date(2026, 10, 25),
            mode="in_person",
            kind="group",
            mentees=[Mentee.objects.get(pk=moved["mentee"].pk)],
        )
    status = selectors.duty_status(pair=moved["b"], today=datetime.date(2026, 10, 26))
    assert status[moved["mentee"].pk] == {"met": True, "contacted": True}


def test_the_new_pairs_faculty_mentor_summary_counts_only_the_new_pair(moved):
    with time_machine.travel(NOV_2):
        services.faculty_summaries_send()
    summary = FacultySummary.objects.get(faculty_mentor=moved["b"].faculty_mentor, month=datetime.date(2026, 10, 1))
    assert (summary.mentees, summary.contacted, summary.met) == (1, 0, 0)


def test_the_figures_count_the_moved_mentee_under_the_new_pair_with_its_own_work(moved):
    program, fall = moved["cycle"].program, Period.parse("2026-fall")
    with time_machine.travel(datetime.datetime(2026, 12, 19, 15, tzinfo=datetime.UTC)):
        met = figures.met_by_term(program, fall)
        contacted = figures.contacted_by_month(program, fall)
        office = figures_office.office_counts([program], fall)[program.pk]
        cycle = selectors.cycle_figures(cycle=moved["cycle"])
    assert {key: value for key, value in met.items() if key[1] == "pair"} == {
        (fall.terms()[0].key, "pair", moved["b"].pk): (1, 0)
    }
    assert contacted[datetime.date(2026, 10, 1)] == (1, 0)
    assert (office["mentees"], office["met"]) == (1, 0)
    assert (cycle["met_rate"], cycle["contacted_rate"]) == (0, 0)


def test_the_new_pairs_page_shows_the_moved_mentee_not_yet_met(client, accepted):
    client.force_login(accepted["b"].third_year)
    with time_machine.travel(OCT_26):
        page = client.get("/mentoring/").content.decode()
    assert accepted["mentee_user"].get_full_name() in page and "not contacted this month" in page
