"""The mentoring figures, against a hand-computed fall term: two mentees, four contacts."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from mentoring import figures_pages
from mentoring.models import Contact, Meeting, Mentee, MentorPair, Outreach
from mentoring.selectors import cycle_figures
from mentoring.tests.repairing_helpers import dissolved_pair
from peers.figures import Period
from peers.models import Role
from peers.testing.queries import assert_fixed_queries
from peers.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 15, 17, tzinfo=datetime.UTC)


def utc(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)


def _contact(world, mentee, channel, due, answered=None, steps=0):
    alerted = [utc(due) + datetime.timedelta(hours=n) for n in (1, 2, 3)]
    return Contact.objects.create(
        mentee=mentee,
        pair=world["pair"],
        channel=channel,
        message="Private",
        received_at=utc(due) - datetime.timedelta(hours=24),
        due_at=utc(due),
        answered_at=utc(answered) if answered else None,
        mentors_alerted_at=alerted[0] if steps >= 1 else None,
        faculty_alerted_at=alerted[1] if steps >= 2 else None,
        coordinator_alerted_at=alerted[2] if steps >= 3 else None,
    )


@pytest.fixture
def fall(pair_world):
    """m1: a text answered on time (Sep 2), met on Sep 15. m2: a text answered late
    (Sep 6, two steps), an email never answered (Oct 10, three steps), outreach on
    Oct 3, and a call answered today but not due until tomorrow."""
    world = pair_world
    m1 = world["mentee"]
    m2 = Mentee.objects.create(
        cycle=world["cycle"],
        pair=world["pair"],
        user=MembershipFactory(program=world["cycle"].program, role=Role.TRAINEE).user,
    )
    _contact(world, m1, "text", "2026-09-02T12:00", answered="2026-09-02T10:00")
    _contact(world, m2, "text", "2026-09-05T12:00", answered="2026-09-06T12:00", steps=2)
    _contact(world, m2, "email", "2026-10-10T12:00", steps=3)
    _contact(world, m2, "call", "2026-12-16T12:00", answered="2026-12-15T12:00")  # due tomorrow: counts nowhere yet
    meeting = Meeting.objects.create(pair=world["pair"], held_on=datetime.date(2026, 9, 15), mode="video", kind="group")
    meeting.mentees.add(m1)
    Outreach.objects.create(mentee=m2, on=datetime.date(2026, 10, 3), channel="text")
    with time_machine.travel(NOW, tick=False):
        yield world


def _figures(program):
    section = figures_pages.program_section(program, Period.parse("2026-fall"))
    return {figure.slug: {row[0]: row[1:] for row in figure.rows} for figure in section.figures}


def test_on_time_counts_only_contacts_whose_deadline_has_passed(program, fall):
    on_time = _figures(program)["mentoring-on-time"]
    assert on_time["Text message"] == [50, 1, 2]
    assert on_time["Phone call"] == [None, 0, 0]  # the call is not due yet
    assert on_time["Email"] == [0, 0, 1]
    assert on_time["All channels"] == [33, 1, 3]


def test_the_cycle_on_time_rate_leaves_out_contacts_not_yet_due(fall):
    figures = cycle_figures(cycle=fall["cycle"])
    assert figures["contacts"]["total"] == 4 and figures["contacts"]["due"] == 3
    assert figures["on_time_rate"] == 33  # 1 of 3, not 2 of 4: the call is not due yet


def test_escalations_by_step(program, fall):
    steps = _figures(program)["mentoring-escalations"]
    assert steps == {
        "Past the deadline: mentors told": [2, "67%"],
        "To the faculty mentor": [2, "67%"],
        "To the coordinators": [1, "33%"],
    }


def test_duty_compliance_by_month_and_term(program, fall):
    figures = _figures(program)
    contacted = figures["mentoring-contacted"]
    assert contacted["Sep 2026"] == [100, 2, 2]  # m1 met, m2's late answer
    assert contacted["Oct 2026"] == [50, 1, 2]  # m2's outreach; the unanswered email is no contact
    assert contacted["Nov 2026"] == [0, 0, 2]
    met = figures["mentoring-met"]
    assert met["Fall 2026: all faculty mentors"] == [50, 1, 2]
    assert met["Fall 2026: Faculty"] == [50, 1, 2]
    assert figures["mentoring-met-pairs"] == {"Fall 2026: Third & Fourth": [50, 1, 2]}
    assert figures["mentoring-cycles"] == {"2026-2027": [0, 0, 0, 0, 1, 0, 2]}


def test_the_figures_page_costs_the_same_queries_however_many_pairs_and_contacts(client, program, fall):
    def grow():
        for n in range(3):
            pair = MentorPair.objects.create(
                cycle=fall["cycle"], third_year=UserFactory(), fourth_year=UserFactory(), faculty_mentor=UserFactory()
            )
            mentee = Mentee.objects.create(
                cycle=fall["cycle"], pair=pair, user=MembershipFactory(program=program, role=Role.TRAINEE).user
            )
            _contact({"pair": pair}, mentee, "email", f"2026-1{n}-02T12:00", answered=f"2026-1{n}-02T10:00")
            Outreach.objects.create(mentee=mentee, on=datetime.date(2026, 10 + n, 3), channel="call")

    client.force_login(fall["coordinator"])
    # Queries: the program page's 22 (peers/tests/test_figures.py) but the four of session
    # feedback, which waits for the term to end, however many pairs.
    url = reverse("figures:program", args=[program.pk]) + "?period=2026-fall"
    assert_fixed_queries(client, url, 18, grow=grow)


def test_the_cycle_figures_count_a_dissolved_pair_apart_not_as_an_empty_cohort(pair_world):
    dissolved_pair(pair_world["cycle"], pair_world["coordinator"])
    figures = cycle_figures(cycle=pair_world["cycle"])
    assert (figures["pairs"], figures["pairs_dissolved"]) == (1, 1)
    assert (figures["cohort_min"], figures["cohort_max"], figures["cohorts_outside"]) == (1, 1, 1)


def _draft_pair_with_a_mentee_met(world) -> None:
    """A proposal under review: a draft pair, a student placed in it, a meeting logged."""
    program = world["cycle"].program
    draft = MentorPair.objects.create(
        cycle=world["cycle"], third_year=UserFactory(), fourth_year=UserFactory(), faculty_mentor=world["faculty"]
    )
    student = UserFactory(name="Dana Draft")
    MembershipFactory(user=student, program=program, role=Role.TRAINEE)
    placed = Mentee.objects.create(cycle=world["cycle"], pair=draft, user=student)
    meeting = Meeting.objects.create(pair=draft, held_on=datetime.date(2026, 9, 20), mode="video", kind="group")
    meeting.mentees.add(placed)


def _row(page: str, slug: str, label: str) -> list[str]:
    """The cells of the row `label` in the figure `slug`'s table, as the page shows them."""
    table = page.split(f'id="{slug}"', 1)[1].split("</table>", 1)[0]
    row = table.split(f">{label}</th>", 1)[1].split("</tr>", 1)[0]
    return [cell.split(">", 1)[1] for cell in row.split("</td>")[:-1]]


def test_the_program_figures_page_counts_only_published_pairs_and_their_mentees(client, program, fall):
    _draft_pair_with_a_mentee_met(fall)
    dissolved_pair(fall["cycle"], fall["coordinator"])
    client.force_login(fall["coordinator"])
    page = client.get(reverse("figures:program", args=[program.pk]) + "?period=2026-fall").content.decode()
    # the dissolved pair's two selected applications; 1 running pair, 1 dissolved, 2 mentees (not the draft's)
    assert _row(page, "mentoring-cycles", "2026-2027") == ["2", "0", "2", "0", "1", "1", "2"]
    assert _row(page, "mentoring-met", "Fall 2026: all faculty mentors")[1:] == ["1", "2"]  # not the draft's meeting
    assert _row(page, "mentoring-contacted", "Sep 2026")[1:] == ["2", "2"]


def test_the_cycle_figures_page_leaves_out_a_draft_proposal(client, pair_world):
    _draft_pair_with_a_mentee_met(pair_world)
    client.force_login(pair_world["coordinator"])
    page = client.get(reverse("mentoring:figures") + f"?cycle={pair_world['cycle'].pk}").content.decode()
    figures = cycle_figures(cycle=pair_world["cycle"])
    assert figures["pairs"] == 1 and (figures["cohort_min"], figures["cohort_max"]) == (1, 1)
    pairs = page.split(">Pairs</dt>", 1)[1].split("</dd>", 1)[0]
    assert pairs.endswith(">1") and "Dana Draft" not in page  # nor in the compliance rows
