import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring import selectors, services
from mentoring.models import Mentee, MentorReferral, Question, Survey, SurveyResponse
from mentoring.services.surveys import OPEN_FOR
from mentoring.tests.repairing_helpers import dissolved_pair, second_pair
from peers.models import Notification, Role
from peers.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(pair_world):
    survey = Survey.objects.create(cycle=pair_world["cycle"], title="How is mentoring going?", audience="mentees")
    Question.objects.create(survey=survey, order=1, kind="scale", text="How helpful are your mentors?")
    Question.objects.create(survey=survey, order=2, kind="choice", text="How do you meet?", choices="In person\nVideo")
    Question.objects.create(survey=survey, order=3, kind="text", text="Anything else?")
    for n in range(5):
        user = UserFactory(email=f"extra{n}@example.edu")
        MembershipFactory(user=user, program=pair_world["cycle"].program, role=Role.TRAINEE)
        Mentee.objects.create(cycle=pair_world["cycle"], pair=pair_world["pair"], user=user)
    return survey


def test_sending_invites_the_audience_once(survey):
    assert services.survey_send(survey=survey) == 6
    assert services.survey_send(survey=survey) == 0
    assert Notification.objects.filter(kind="survey").count() == 6


def test_answers_are_anonymous_once_each_and_hidden_below_five(client, survey, pair_world):
    services.survey_send(survey=survey)
    questions = list(survey.questions.all())
    mentees = list(Mentee.objects.filter(cycle=survey.cycle).select_related("user"))
    for n, mentee in enumerate(mentees[:4]):
        services.survey_answer(
            survey=survey,
            user=mentee.user,
            answers={questions[0].pk: "4", questions[1].pk: "Video", questions[2].pk: f"note {n}"},
        )
    with pytest.raises(ValidationError, match="already answered"):
        services.survey_answer(survey=survey, user=mentees[0].user, answers={questions[0].pk: "5"})
    assert not SurveyResponse.objects.exclude(respondent=None).exists()  # anonymous by default
    assert selectors.survey_results(survey=survey) is None  # open: nothing shown, however many answered
    client.force_login(mentees[4].user)
    client.post(
        reverse("mentoring:survey", args=[survey.pk]), {f"q{questions[0].pk}": "5", f"q{questions[1].pk}": "In person"}
    )
    assert services.survey_close(survey=survey)
    results = selectors.survey_results(survey=survey)
    assert results[0]["mean"] == 4.2
    assert results[1]["choices"] == [("In person", "<5"), ("Video", "<5")]
    assert results[2]["hidden"]  # only four free-text answers


def test_results_only_for_the_programs_coordinators(client, survey, pair_world):
    client.force_login(pair_world["coordinator"])
    assert client.get(reverse("mentoring:survey_results", args=[survey.pk])).status_code == 200
    client.force_login(pair_world["third"])
    assert client.get(reverse("mentoring:survey_results", args=[survey.pk])).status_code == 404
    assert client.get(reverse("mentoring:survey", args=[survey.pk])).status_code == 404  # not invited


def test_a_mentor_refers_a_situation_and_the_notice_carries_no_note(pair_world):
    services.referral_make(
        pair=pair_world["pair"], mentor=pair_world["third"], to="faculty", category="wellbeing", note="Private detail"
    )
    notice = Notification.objects.get(kind="mentor_referral")
    assert notice.recipient == pair_world["faculty"] and "Private detail" not in notice.body
    assert MentorReferral.objects.get().note == "Private detail"
    services.referral_make(pair=pair_world["pair"], mentor=pair_world["fourth"], to="office", category="other", note="")
    assert Notification.objects.filter(kind="mentor_referral", recipient=pair_world["coordinator"]).exists()


def _answer_all(survey, answers_by_person):
    services.survey_send(survey=survey)
    questions = list(survey.questions.all())
    mentees = list(Mentee.objects.filter(cycle=survey.cycle).select_related("user").order_by("pk"))
    for mentee, answers in zip(mentees, answers_by_person, strict=False):
        services.survey_answer(
            survey=survey, user=mentee.user, answers={questions[n].pk: value for n, value in enumerate(answers)}
        )
    services.survey_close(survey=survey)


def test_choice_counts_go_through_the_engine_so_the_total_gives_no_small_count_back(survey):
    # Five chose video and one in person: "<5, 5, total 6" would say it was exactly one.
    _answer_all(survey, [("4", "Video", "")] * 5 + [("4", "In person", "")])
    choice = selectors.survey_results(survey=survey)[1]
    assert choice["choices"] == [("In person", "<5"), ("Video", "suppressed")]
    assert choice["count"] == "6"


def test_free_text_shows_from_five_writers_in_alphabetical_order_not_arrival(client, survey, pair_world):
    texts = ["zebra crossing", "Mornings work", "apples", "Quiet rooms", "more video", "Longer sessions"]
    _answer_all(survey, [("3", "Video", text) for text in texts])
    assert selectors.survey_results(survey=survey)[2]["texts"] == sorted(texts, key=str.casefold)
    client.force_login(pair_world["coordinator"])
    page = client.get(reverse("mentoring:survey_results", args=[survey.pk])).content.decode()
    assert page.index("apples") < page.index("Longer sessions") < page.index("zebra crossing")


def test_a_question_four_people_answered_shows_nothing_on_the_page(client, survey, pair_world):
    _answer_all(survey, [("5", "Video", f"only {n}") for n in range(4)])
    client.force_login(pair_world["coordinator"])
    page = client.get(reverse("mentoring:survey_results", args=[survey.pk])).content.decode()
    assert "only 0" not in page and "Average" not in page and "Video:" not in page
    assert "&lt;5 of 6 answered" in page


def test_results_show_only_once_the_survey_has_closed_and_no_answer_comes_after(client, survey, pair_world):
    services.survey_send(survey=survey)
    survey.refresh_from_db()
    assert survey.closes_at == survey.sent_at + OPEN_FOR
    questions = list(survey.questions.all())
    mentees = list(Mentee.objects.filter(cycle=survey.cycle).select_related("user").order_by("pk"))
    for mentee in mentees[:5]:
        services.survey_answer(survey=survey, user=mentee.user, answers={questions[0].pk: "4"})
    client.force_login(pair_world["coordinator"])
    url = reverse("mentoring:survey_results", args=[survey.pk])
    assert "Average" not in client.get(url).content.decode()  # still open: it would change with the next answer
    with time_machine.travel(survey.closes_at + datetime.timedelta(minutes=1)):
        client.force_login(pair_world["coordinator"])
        assert "Average 4 out of 5" in client.get(url).content.decode()
        with pytest.raises(ValidationError, match="closed"):
            services.survey_answer(survey=survey, user=mentees[5].user, answers={questions[0].pk: "1"})


@pytest.mark.parametrize("extra_questions", [0, 4])
def test_the_results_page_costs_the_same_queries_however_many_questions(
    client, survey, pair_world, django_assert_num_queries, extra_questions
):
    for n in range(extra_questions):
        Question.objects.create(survey=survey, order=10 + n, kind="choice", text=f"Q{n}", choices="Yes\nNo")
    _answer_all(survey, [("4", "Video", f"text {n}", *["Yes"] * extra_questions) for n in range(6)])
    client.force_login(pair_world["coordinator"])
    # session, user, TOTP, memberships (nav), the survey in the coordinator's programs,
    # the answers, the questions, invited, answered, the inbox badge.
    with django_assert_num_queries(10):
        page = client.get(reverse("mentoring:survey_results", args=[survey.pk])).content.decode()
    assert "text 0" in page


def test_a_sent_survey_cannot_be_reopened_in_the_admin(client, survey, pair_world):
    services.survey_send(survey=survey)
    client.force_login(pair_world["coordinator"])
    page = client.get(reverse("admin:mentoring_survey_change", args=[survey.pk]))
    assert page.status_code == 200 and 'name="closes_at_0"' not in page.content.decode()


def test_a_dissolved_pairs_mentors_are_not_asked_to_answer_a_mentors_survey(pair_world):
    cycle = pair_world["cycle"]
    gone = dissolved_pair(cycle, pair_world["coordinator"])
    survey = Survey.objects.create(cycle=cycle, title="Your training", audience="mentors")
    Question.objects.create(survey=survey, order=1, kind="scale", text="How useful was it?")
    assert services.survey_send(survey=survey) == 2
    invited = set(survey.invitations.values_list("user", flat=True))
    assert invited == {pair_world["third"].pk, pair_world["fourth"].pk}
    assert not Notification.objects.filter(kind="survey", recipient__in=[gone.third_year, gone.fourth_year]).exists()


def test_a_mentees_survey_reaches_the_mentees_where_they_are_after_their_pair_dissolved(pair_world):
    cycle = pair_world["cycle"]
    second_pair(cycle, names=("Fay Third", "Gus Fourth"))
    services.pair_dissolve(pair=pair_world["pair"], by=pair_world["coordinator"])
    survey = Survey.objects.create(cycle=cycle, title="How is mentoring going?", audience="mentees")
    Question.objects.create(survey=survey, order=1, kind="scale", text="How helpful are your mentors?")
    assert services.survey_send(survey=survey) == 1
    assert Notification.objects.get(kind="survey").recipient == pair_world["mentee_user"]
