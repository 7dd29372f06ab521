"""People and pairs the re-pairing tests share."""

from mentoring.models import Application, Mentee, MentorPair
from mentoring.tests.conftest import PUBLISHED
from peers.models import Role
from peers.tests.factories import MembershipFactory, UserFactory


def person(program, name: str, role: str = Role.PEER_MENTOR):
    user = UserFactory(name=name, email=f"{name.lower().replace(' ', '.')}@example.edu")
    MembershipFactory(user=user, program=program, role=role)
    return user


def applied(cycle, user, *, year: int, status: str, md_phd: bool = False) -> Application:
    return Application.objects.create(
        cycle=cycle, applicant=user, entering_year=year, is_md_phd=md_phd, motivation="I care", status=status
    )


def second_pair(cycle, *, names=("Bea Third", "Cal Fourth"), mentees: int = 0, faculty=None) -> MentorPair:
    """A second published pair of the cycle, its mentors selected applicants."""
    program = cycle.program
    third, fourth = person(program, names[0]), person(program, names[1])
    applied(cycle, third, year=3, status="selected")
    applied(cycle, fourth, year=4, status="selected")
    pair = MentorPair.objects.create(
        cycle=cycle,
        third_year=third,
        fourth_year=fourth,
        faculty_mentor=faculty or person(program, f"Faculty of {names[0]}", Role.FACULTY_MENTOR),
        published_at=PUBLISHED,
    )
    for n in range(mentees):
        Mentee.objects.create(cycle=cycle, pair=pair, user=person(program, f"Mentee {names[0]} {n}", Role.TRAINEE))
    return pair


def dissolved_pair(cycle, coordinator, *, names=("Dee Gone", "Eli Gone"), faculty=None) -> MentorPair:
    """A second published pair of the cycle that a coordinator then dissolved (with no
    mentees, or its mentees moved to the cycle's other pairs)."""
    from mentoring import services

    pair = second_pair(cycle, names=names, faculty=faculty)
    services.pair_dissolve(pair=pair, by=coordinator)
    pair.refresh_from_db()
    return pair
