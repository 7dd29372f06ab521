"""Mentoring on the office's figures page: each program's row, computed by hand, and a
fixed number of queries whatever the programs and data."""

import datetime

import pytest
import time_machine

from mentoring.figures_office import office_section
from mentoring.models import Contact, Meeting, Mentee, MentoringCycle, MentorPair
from peers.figures import Period
from peers.tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 1, 15, 15, tzinfo=datetime.UTC)
FALL = Period.parse("2026-fall")


def _contact(world, due: datetime.datetime, *, answered=None, faculty=False, mentee=None):
    return Contact.objects.create(
        pair=world["pair"],
        mentee=mentee or world["mentee"],
        channel="text",
        received_at=due - datetime.timedelta(hours=24),
        due_at=due,
        answered_at=answered,
        faculty_alerted_at=due + datetime.timedelta(hours=24) if faculty else None,
    )


def _rows(programs):
    with time_machine.travel(NOW, tick=False):
        section = office_section(programs, FALL)
    return {figure.slug: {row[0]: row[1:] for row in figure.rows} for figure in section.figures}


def test_each_programs_mentoring_row_as_computed_by_hand(pair_world):
    world, program = pair_world, pair_world["cycle"].program
    october = datetime.datetime(2026, 10, 5, 16, tzinfo=datetime.UTC)
    _contact(world, october, answered=october - datetime.timedelta(hours=2))  # on time
    _contact(world, october, answered=october + datetime.timedelta(hours=30), faculty=True)  # late, escalated
    _contact(world, october)  # never answered
    _contact(world, datetime.datetime(2027, 1, 20, tzinfo=datetime.UTC))  # not due yet: counts nowhere
    others = [Mentee.objects.create(cycle=world["cycle"], pair=world["pair"], user=UserFactory()) for _ in range(3)]
    meeting = Meeting.objects.create(pair=world["pair"], held_on=datetime.date(2026, 9, 1), mode="video", kind="group")
    meeting.mentees.set([world["mentee"], others[0]])
    draft = MentorPair.objects.create(
        cycle=world["cycle"], third_year=UserFactory(), fourth_year=UserFactory(), faculty_mentor=world["faculty"]
    )
    Mentee.objects.create(cycle=world["cycle"], pair=draft, user=UserFactory())  # a draft: not counted
    quiet = ProgramFactory(name="Quiet Program")
    rows = _rows([program, quiet])
    assert rows["office-mentoring-on-time"] == {"MD Program": [33, 1, 3], "Quiet Program": [None, 0, 0]}
    assert rows["office-mentoring-escalations"]["MD Program"] == [1, 0, 3]
    assert rows["office-mentoring-met"] == {"MD Program": [50, 2, 4, 1], "Quiet Program": [None, 0, 0, 0]}


def test_the_office_mentoring_section_costs_two_queries_however_many_programs(pair_world, django_assert_num_queries):
    programs = [pair_world["cycle"].program]
    for _ in range(3):
        program = ProgramFactory()
        cycle = MentoringCycle.objects.create(
            program=program, name="2026-2027", starts_on=datetime.date(2026, 7, 1), ends_on=datetime.date(2027, 6, 30)
        )
        pair = MentorPair.objects.create(
            cycle=cycle,
            third_year=UserFactory(),
            fourth_year=UserFactory(),
            faculty_mentor=UserFactory(),
            published_at=pair_world["pair"].published_at,
        )
        for _ in range(4):
            Mentee.objects.create(cycle=cycle, pair=pair, user=UserFactory())
        programs.append(program)
    # 1 contacts by program, 2 mentees met by program
    with time_machine.travel(NOW, tick=False), django_assert_num_queries(2):
        office_section(programs, FALL)
