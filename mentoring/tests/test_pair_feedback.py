"""Mentees' anonymous feedback on their pair after each semester: invited once in the
program's zone, one answer per mentee, pair and semester (even at the same moment), no
way back from an answer to its mentee, and results per pair only from 5 answers."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring.models import Mentee, MentoringCycle, MentorPair, PairFeedback, PairFeedbackGiven, PairFeedbackRound
from mentoring.selectors.pair_feedback import feedback_results
from mentoring.services.pair_feedback import pair_feedback_give, pair_feedback_invite
from peers.models import Notification, Role
from peers.testing.concurrency import run_concurrently
from peers.testing.queries import assert_fixed_queries
from peers.tests.factories import MembershipFactory, UserFactory

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
FALL_ENDS = datetime.date(2026, 12, 18)
LAST_EVENING = datetime.datetime(2026, 12, 18, 23, 30, tzinfo=TORONTO)  # already the 19th in UTC
NEXT_MORNING = datetime.datetime(2026, 12, 19, 8, 0, tzinfo=TORONTO)
AFTER_CLOSE = datetime.datetime(2027, 1, 9, 9, 0, tzinfo=TORONTO)  # 21 days after the 18th have passed
RATINGS = {"reachable": 4, "helpful": 5, "comfortable": 3}


@pytest.fixture
def semester(pair_world):
    cycle = pair_world["cycle"]
    cycle.fall_starts_on, cycle.fall_ends_on = datetime.date(2026, 8, 24), FALL_ENDS
    cycle.spring_starts_on, cycle.spring_ends_on = datetime.date(2027, 1, 11), datetime.date(2027, 5, 14)
    cycle.save()
    return pair_world


def _add_mentees(world, n: int) -> list[Mentee]:
    places = []
    for _ in range(n):
        user = UserFactory()
        MembershipFactory(user=user, program=world["cycle"].program, role=Role.TRAINEE, class_year=1)
        places.append(Mentee.objects.create(cycle=world["cycle"], pair=world["pair"], user=user))
    return places


def _give(place: Mentee, comment: str = "", **ratings) -> PairFeedback:
    return pair_feedback_give(place=place, semester_ends_on=FALL_ENDS, comment=comment, **{**RATINGS, **ratings})


@pytest.mark.django_db
def test_mentees_are_invited_the_day_after_the_semester_ends_in_the_programs_zone_and_once(semester):
    _add_mentees(semester, 2)
    with time_machine.travel(LAST_EVENING, tick=False):
        assert pair_feedback_invite() == 0  # still the 18th in Toronto
    with time_machine.travel(NEXT_MORNING, tick=False):
        assert pair_feedback_invite() == 3
        assert pair_feedback_invite() == 0
    invited = Notification.objects.filter(kind="pair_feedback")
    assert sorted(n.recipient_id for n in invited) == sorted(Mentee.objects.values_list("user_id", flat=True))
    assert "anonymous" in invited.first().body
    with time_machine.travel(AFTER_CLOSE, tick=False):
        assert pair_feedback_invite() == 0


@pytest.mark.django_db
def test_a_pair_published_after_the_semester_is_not_asked_about_it(semester):
    late = datetime.datetime(2026, 12, 20, tzinfo=TORONTO)
    MentorPair.objects.filter(pk=semester["pair"].pk).update(published_at=late)
    with time_machine.travel(datetime.datetime(2026, 12, 21, 9, 0, tzinfo=TORONTO), tick=False):
        assert pair_feedback_invite() == 0


@pytest.mark.django_db
def test_an_answer_cannot_be_linked_back_to_its_mentee(semester):
    """The answer has no person, no time and a random id; only that they answered is kept."""
    with time_machine.travel(NEXT_MORNING, tick=False):
        pair_feedback_invite()
        answer = _give(semester["mentee"], comment="Always there when I needed them")
    fields = {field.name for field in PairFeedback._meta.concrete_fields}
    assert fields == {"id", "pair", "semester_ends_on", "reachable", "helpful", "comfortable", "comment"}
    assert isinstance(answer.pk, type(PairFeedback._meta.pk.default()))  # a UUID: no arrival order
    given = PairFeedbackGiven.objects.get()
    assert given.user == semester["mentee_user"] and not hasattr(given, "feedback")


@pytest.mark.django_db
def test_a_mentee_answers_once_per_pair_and_semester(semester):
    with time_machine.travel(NEXT_MORNING, tick=False):
        pair_feedback_invite()
        _give(semester["mentee"])
        with pytest.raises(ValidationError, match="already given feedback"):
            _give(semester["mentee"], reachable=1)
    assert PairFeedback.objects.get().reachable == 4


@pytest.mark.django_db
def test_no_answer_is_taken_before_the_invitation_or_after_the_feedback_closes(semester):
    with time_machine.travel(NEXT_MORNING, tick=False), pytest.raises(ValidationError, match="not open"):
        _give(semester["mentee"])  # the sweep has not invited the pair yet
    with time_machine.travel(NEXT_MORNING, tick=False):
        pair_feedback_invite()
    with time_machine.travel(AFTER_CLOSE, tick=False), pytest.raises(ValidationError, match="not open"):
        _give(semester["mentee"])
    assert not PairFeedback.objects.exists() and not PairFeedbackGiven.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_answers_sent_at_the_same_moment_make_one(semester):
    with time_machine.travel(NEXT_MORNING, tick=False):
        pair_feedback_invite()
        place = Mentee.objects.select_related("pair__cycle__program", "user").get(pk=semester["mentee"].pk)
        results = run_concurrently(*[lambda: _give(place)] * 4)
    assert sum(isinstance(r, PairFeedback) for r in results) == 1
    assert all(isinstance(r, PairFeedback | ValidationError) for r in results)
    assert PairFeedback.objects.count() == 1 and PairFeedbackGiven.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_invite_each_pair_once(semester):
    _add_mentees(semester, 3)
    with time_machine.travel(NEXT_MORNING, tick=False):
        results = run_concurrently(pair_feedback_invite, pair_feedback_invite)
    assert sorted(results) == [0, 4]  # one sweep did the work, the other found it done
    assert PairFeedbackRound.objects.get().invited == 4
    assert Notification.objects.filter(kind="pair_feedback").count() == 4


def _answers(world, n: int, comments: bool = True) -> None:
    with time_machine.travel(NEXT_MORNING, tick=False):
        places = [world["mentee"], *_add_mentees(world, n - 1)]
        pair_feedback_invite()
        for number, place in enumerate(places):
            _give(place, comment=f"Comment {chr(ord('e') - number)}" if comments else "", helpful=number % 5 + 1)


@pytest.mark.django_db
def test_four_answers_show_only_as_fewer_than_five(semester):
    _answers(semester, 4)
    with time_machine.travel(AFTER_CLOSE, tick=False):
        [result] = feedback_results(cycles=[semester["cycle"]])
    assert result.answered == "<5" and result.means is None and result.comments is None


@pytest.mark.django_db
def test_five_answers_show_their_averages_and_comments_alphabetically_once_closed(semester):
    _answers(semester, 5)
    with time_machine.travel(NEXT_MORNING + datetime.timedelta(days=3), tick=False):
        [result] = feedback_results(cycles=[semester["cycle"]])
        assert result.open and result.means is None  # each new answer would change them
    with time_machine.travel(AFTER_CLOSE, tick=False):
        [result] = feedback_results(cycles=[semester["cycle"]])
    assert result.answered == "5"
    assert dict(result.means) == {
        "My mentors were easy to reach": 4,
        "Talking with my mentors helped me": 3,  # 1 + 2 + 3 + 4 + 5 over 5
        "I felt comfortable bringing things up": 3,
    }
    assert result.comments == ["Comment a", "Comment b", "Comment c", "Comment d", "Comment e"]


@pytest.mark.django_db
def test_a_mentee_answers_on_the_page_and_then_sees_nothing_left(client, semester):
    with time_machine.travel(NEXT_MORNING, tick=False):
        pair_feedback_invite()
        client.force_login(semester["mentee_user"])
        page = client.get(reverse("mentoring:pair_feedback")).content.decode()
        assert "Open until January 8" in page
        prefix = f"p{semester['mentee'].pk}"
        url = reverse("mentoring:pair_feedback")
        missing = client.post(url, {"place": semester["mentee"].pk, f"{prefix}-comment": "Kind"})
        assert "Choose a number from 1 to 5." in missing.content.decode()
        assert "Kind</textarea>" in missing.content.decode()  # nothing they wrote is lost
        data = {"place": semester["mentee"].pk, **{f"{prefix}-{k}": v for k, v in RATINGS.items()}}
        done = client.post(reverse("mentoring:pair_feedback"), data, follow=True).content.decode()
        assert "your feedback is in" in done and "There is nothing to answer right now" in done
        again = client.post(reverse("mentoring:pair_feedback"), data, follow=True).content.decode()
        assert "already given it" in again
    assert PairFeedback.objects.count() == 1


@pytest.mark.django_db
def test_the_results_are_for_the_coordinators_only(client, semester):
    client.force_login(semester["coordinator"])
    assert client.get(reverse("mentoring:pair_feedback_results")).status_code == 200
    for person in (semester["third"], semester["faculty"], semester["mentee_user"]):
        client.force_login(person)
        assert client.get(reverse("mentoring:pair_feedback_results")).status_code == 404


@pytest.mark.django_db
def test_the_results_page_runs_a_fixed_number_of_queries(client, semester):
    _answers(semester, 5)

    def grow():
        for _ in range(3):
            pair = MentorPair.objects.create(
                cycle=semester["cycle"],
                third_year=UserFactory(),
                fourth_year=UserFactory(),
                faculty_mentor=semester["faculty"],
                published_at=semester["pair"].published_at,
            )
            for _ in range(5):
                user = UserFactory()
                Mentee.objects.create(cycle=semester["cycle"], pair=pair, user=user)
        _answers_again(semester)

    with time_machine.travel(AFTER_CLOSE, tick=False):
        client.force_login(semester["coordinator"])
        page = client.get(reverse("mentoring:pair_feedback_results")).content.decode()
        assert "Comment a" in page and "5 of 5 answered" in page
        # 1 session, 2 user, 3 TOTP check, 4 memberships, 5 cycles, 6 rounds with their
        # pairs, 7 the answers, 8 unread count
        assert_fixed_queries(client, reverse("mentoring:pair_feedback_results"), 8, grow=grow)


def _answers_again(world) -> None:
    with time_machine.travel(NEXT_MORNING, tick=False):
        pair_feedback_invite()
        for place in Mentee.objects.filter(pair__cycle=world["cycle"]).exclude(pair=world["pair"]):
            _give(place)


@pytest.mark.django_db
def test_the_mentees_feedback_page_runs_a_fixed_number_of_queries(client, semester):
    user = semester["mentee_user"]
    with time_machine.travel(NEXT_MORNING, tick=False):
        pair_feedback_invite()
        client.force_login(user)

        def grow():  # an MD/PhD place too, in another invited pair
            pair = MentorPair.objects.create(
                cycle=semester["cycle"],
                third_year=UserFactory(),
                fourth_year=UserFactory(),
                faculty_mentor=semester["faculty"],
                is_md_phd=True,
                published_at=semester["pair"].published_at,
            )
            Mentee.objects.create(cycle=semester["cycle"], pair=pair, user=user)
            PairFeedbackRound.objects.create(pair=pair, semester_ends_on=FALL_ENDS)

        # 1 session, 2 user, 3 places with their pairs, 4 rounds, 5 answers given,
        # 6 memberships (navigation), 7 unread count
        assert_fixed_queries(client, reverse("mentoring:pair_feedback"), 7, grow=grow)


@pytest.mark.django_db
def test_the_invitation_sweep_costs_one_query_when_no_semester_just_ended(semester, django_assert_num_queries):
    for n in range(5):
        MentoringCycle.objects.create(
            program=semester["cycle"].program,
            name=f"old {n}",
            starts_on=datetime.date(2020 + n, 7, 1),
            ends_on=datetime.date(2021 + n, 6, 30),
            fall_starts_on=datetime.date(2020 + n, 8, 24),
            fall_ends_on=datetime.date(2020 + n, 12, 18),
        )
    # 1 the cycles whose semester may have ended in the last 23 days (none)
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, tzinfo=TORONTO), tick=False):
        with django_assert_num_queries(1):
            assert pair_feedback_invite() == 0
