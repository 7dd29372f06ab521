"""Mentees' wishes for their placement: the solver honours people to avoid as a hard
constraint, a wish for a mentor where it can, the review page lists what it could not
avoid, and nobody but the coordinators sees the list."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring import placement, selectors, services
from mentoring.models import Mentee, MenteePreference, MentorPair
from mentoring.selectors.preferences import avoid_conflicts
from mentoring.services.preferences import mentee_preference_save
from peers.models import Membership, Role
from peers.testing.queries import assert_fixed_queries
from peers.tests.factories import LearningCommunityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _cohort(pair_id, community=None, mentors=(), faculty=None, size=0):
    return placement.Cohort(pair_id, community, frozenset(mentors), faculty, size)


# --- the solver ----------------------------------------------------------------------------------


def test_a_student_is_never_placed_with_a_mentor_they_avoid_while_another_pair_has_a_seat():
    own, other = _cohort(1, community=7, mentors=(10, 11)), _cohort(2, community=8, mentors=(20, 21))
    student = placement.Student(user_id=100, learning_community_id=7, avoid=frozenset({11}))
    [seat] = placement.place([student], [own, other])
    assert seat.pair_id == 2 and not seat.conflict


def test_the_faculty_mentor_counts_as_someone_to_avoid():
    own, other = _cohort(1, community=7, mentors=(10, 11), faculty=12), _cohort(2, community=8, mentors=(20, 21))
    [seat] = placement.place([placement.Student(100, 7, avoid=frozenset({12}))], [own, other])
    assert seat.pair_id == 2


def test_when_every_pair_has_someone_to_avoid_the_placement_says_it_is_a_conflict():
    only = _cohort(1, community=7, mentors=(10, 11))
    [seat] = placement.place([placement.Student(100, 7, avoid=frozenset({10}))], [only])
    assert seat.pair_id == 1 and seat.conflict


def test_a_wished_for_mentor_wins_over_an_even_split_but_not_over_an_avoid():
    first, second = _cohort(1, 7, (10, 11)), _cohort(2, 7, (20, 21))
    students = [placement.Student(100 + n, 7, preferred_mentor_id=20) for n in range(3)]
    assert {s.pair_id for s in placement.place(students, [first, second])} == {2}
    torn = placement.Student(200, 7, preferred_mentor_id=20, avoid=frozenset({21}))
    [seat] = placement.place([torn], [first, second])
    assert seat.pair_id == 1


def test_cohorts_fill_evenly_and_a_wish_does_not_swell_a_cohort_past_15():
    first, second = _cohort(1, 7, (10, 11)), _cohort(2, 7, (20, 21))
    students = [placement.Student(100 + n, 7, preferred_mentor_id=20) for n in range(20)]
    sizes = {1: 0, 2: 0}
    for seat in placement.place(students, [first, second]):
        sizes[seat.pair_id] += 1
    assert sizes == {1: 5, 2: 15}
    plain = [placement.Student(300 + n, 7) for n in range(9)]
    sizes = {1: 0, 2: 0}
    for seat in placement.place(plain, [first, second]):
        sizes[seat.pair_id] += 1
    assert sizes == {1: 5, 2: 4}  # the earlier pair takes the odd one, as before


# --- stating wishes ------------------------------------------------------------------------------


def _first_year(program, community=None):
    user = UserFactory()
    MembershipFactory(user=user, program=program, role=Role.TRAINEE, class_year=1, learning_community=community)
    return user


def test_a_first_year_names_a_mentor_to_avoid_by_email_and_can_change_it(pair_world):
    cycle = pair_world["cycle"]
    student = _first_year(cycle.program)
    mentee_preference_save(cycle=cycle, user=student, preferred_mentor="", avoid=pair_world["third"].email.upper())
    mentee_preference_save(
        cycle=cycle, user=student, preferred_mentor=pair_world["third"].email, avoid=pair_world["fourth"].email
    )
    preference = MenteePreference.objects.get(user=student)
    assert preference.preferred_mentor == pair_world["third"]
    assert preference.avoided_ids == {pair_world["fourth"].pk}


def test_an_unknown_email_is_refused_by_name_and_nothing_changes(pair_world):
    cycle = pair_world["cycle"]
    student = _first_year(cycle.program)
    mentee_preference_save(cycle=cycle, user=student, preferred_mentor="", avoid=pair_world["third"].email)
    with pytest.raises(ValidationError, match="nobody@example.org"):
        mentee_preference_save(cycle=cycle, user=student, preferred_mentor="", avoid="nobody@example.org")
    assert MenteePreference.objects.get(user=student).avoided_ids == {pair_world["third"].pk}


def test_wishes_are_closed_once_the_students_pair_is_published(pair_world):
    Membership.objects.filter(user=pair_world["mentee_user"]).update(class_year=1)
    with pytest.raises(ValidationError, match="already chosen"):
        mentee_preference_save(cycle=pair_world["cycle"], user=pair_world["mentee_user"], preferred_mentor="", avoid="")


def test_a_third_year_cannot_state_mentee_wishes(pair_world):
    with pytest.raises(ValidationError, match="first- and second-year"):
        mentee_preference_save(cycle=pair_world["cycle"], user=pair_world["third"], preferred_mentor="", avoid="")


# --- the placement and the review ---------------------------------------------------------------


def _two_pairs_in_one_community(pair_world):
    """Two draft pairs of the same learning community; returns (community, pair_a, pair_b)."""
    cycle = pair_world["cycle"]
    MentorPair.objects.all().delete()
    community = LearningCommunityFactory(program=cycle.program, name="Maple")

    def mentor():
        return MembershipFactory(program=cycle.program, role=Role.PEER_MENTOR).user

    pairs = [
        MentorPair.objects.create(
            cycle=cycle,
            third_year=mentor(),
            fourth_year=mentor(),
            faculty_mentor=pair_world["faculty"],
            learning_community=community,
        )
        for _ in range(2)
    ]
    return community, *pairs


def test_assigning_cohorts_keeps_a_student_away_from_the_mentor_they_avoid(pair_world):
    community, pair_a, pair_b = _two_pairs_in_one_community(pair_world)
    cycle = pair_world["cycle"]
    students = [_first_year(cycle.program, community) for _ in range(6)]
    for student in students:
        mentee_preference_save(cycle=cycle, user=student, preferred_mentor="", avoid=pair_a.third_year.email)
    services.cohorts_assign(cycle=cycle)
    assert set(Mentee.objects.filter(user__in=students).values_list("pair_id", flat=True)) == {pair_b.pk}
    assert avoid_conflicts(cycle=cycle) == []


def test_an_avoid_that_cannot_be_honoured_is_listed_on_the_review_page_for_the_coordinator(client, pair_world):
    community, pair_a, pair_b = _two_pairs_in_one_community(pair_world)
    cycle = pair_world["cycle"]
    student = _first_year(cycle.program, community)
    mentee_preference_save(
        cycle=cycle, user=student, preferred_mentor="", avoid=f"{pair_a.third_year.email}, {pair_b.fourth_year.email}"
    )
    services.cohorts_assign(cycle=cycle)
    [warning] = [w for w in selectors.proposal_warnings(cycle=cycle) if "asked to avoid" in w]
    assert student.get_full_name() in warning
    client.force_login(pair_world["coordinator"])
    review = client.get(reverse("admin:mentoring_mentorpair_changelist")).content.decode()
    assert "asked to avoid" in review


def test_the_avoid_list_reaches_no_mentor(client, pair_world):
    """The mentee's wish names the pair's own mentor: the mentors' pages, their
    notifications and the pair's reasons say nothing of it; the admin refuses them."""
    cycle, third = pair_world["cycle"], pair_world["third"]
    MentorPair.objects.filter(pk=pair_world["pair"].pk).update(published_at=None)
    student = _first_year(cycle.program)
    mentee_preference_save(cycle=cycle, user=student, preferred_mentor="", avoid=third.email)
    Mentee.objects.filter(pair=pair_world["pair"]).delete()
    services.cohorts_assign(cycle=cycle)  # the only pair: an unavoidable conflict
    services.pairing_publish(cycle=cycle)
    for mentor in (third, pair_world["fourth"], pair_world["faculty"]):
        client.force_login(mentor)
        page = client.get(reverse("mentoring:home")).content.decode()
        assert student.get_full_name() in page  # they do see their mentee
        assert "avoid" not in page.lower()
        assert client.get(reverse("admin:mentoring_menteepreference_changelist")).status_code == 302
        assert all("avoid" not in n.body.lower() for n in mentor.notifications.all())
    assert "avoid" not in MentorPair.objects.get(pk=pair_world["pair"].pk).reasons
    client.force_login(pair_world["coordinator"])
    listing = client.get(reverse("admin:mentoring_menteepreference_changelist")).content.decode()
    assert student.get_full_name() in listing and "1 (names on its page)" in listing
    wish = MenteePreference.objects.get(user=student)
    page = client.get(reverse("admin:mentoring_menteepreference_change", args=[wish.pk])).content.decode()
    assert third.get_full_name() in page


# --- the page ------------------------------------------------------------------------------------


def test_a_student_states_wishes_on_a_phone_sized_form_and_a_mistake_keeps_what_they_typed(client, pair_world):
    student = _first_year(pair_world["cycle"].program)
    client.force_login(student)
    typo = client.post(reverse("mentoring:preferences"), {"preferred_mentor": "", "avoid": "thrid@example.edu"})
    assert "We don&#x27;t know thrid@example.edu" in typo.content.decode()
    assert 'value="thrid@example.edu"' in typo.content.decode()
    done = client.post(reverse("mentoring:preferences"), {"avoid": pair_world["third"].email}, follow=True)
    assert "your wishes are saved" in done.content.decode()
    assert pair_world["third"].email in done.content.decode()  # shown back to the student themselves


def test_the_wishes_page_runs_a_fixed_number_of_queries(client, pair_world):
    cycle = pair_world["cycle"]
    student = _first_year(cycle.program)
    client.force_login(student)
    mentee_preference_save(cycle=cycle, user=student, preferred_mentor="", avoid=pair_world["third"].email)

    def grow():
        others = [UserFactory() for _ in range(5)]
        for person in others:
            MembershipFactory(user=person, program=cycle.program, role=Role.PEER_MENTOR)
        mentee_preference_save(cycle=cycle, user=student, preferred_mentor="", avoid=", ".join(p.email for p in others))

    # 1 session, 2 user, 3 memberships (also the navigation's), 4 the open cycle, 5 the wishes,
    # 6 the people to avoid, 7 unread count
    assert_fixed_queries(client, reverse("mentoring:preferences"), 7, grow=grow)


def test_the_review_conflicts_cost_two_queries_however_many_wishes(pair_world, django_assert_num_queries):
    community, pair_a, _ = _two_pairs_in_one_community(pair_world)
    cycle = pair_world["cycle"]
    for _ in range(4):
        student = _first_year(cycle.program, community)
        mentee_preference_save(cycle=cycle, user=student, preferred_mentor="", avoid=pair_a.third_year.email)
    services.cohorts_assign(cycle=cycle)
    # 1 who asked to avoid whom (decrypted here), 2 their places with the pairs' people
    with django_assert_num_queries(2):
        avoid_conflicts(cycle=cycle)
