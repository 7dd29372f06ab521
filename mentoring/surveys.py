"""Surveys to mentors or mentees: anonymous by default, results through the one
suppression engine (peers.suppression). Also mentors' referrals."""

import collections
import datetime
import statistics

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentoring.models import (
    Answer,
    Mentee,
    MentorPair,
    MentorReferral,
    Question,
    Survey,
    SurveyInvitation,
    SurveyResponse,
)
from mentoring.services import mentee_data_guard
from peers.models import Membership, Role, User
from peers.services.notifications import notification_create
from peers.suppression import may_show, publishable_texts, suppress_counts

OPEN_FOR = datetime.timedelta(days=14)


def survey_send(*, survey: Survey) -> int:
    """Invite the audience once and tell them. Returns how many were invited."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.sent_at is not None:
            return 0
        if not survey.questions.exists():
            raise ValidationError("Add questions before sending the survey.")
        pairs = MentorPair.objects.filter(cycle=survey.cycle_id)
        if survey.audience == Survey.Audience.MENTORS:
            people = User.objects.filter(Q(pk__in=pairs.values("third_year")) | Q(pk__in=pairs.values("fourth_year")))
        else:
            people = User.objects.filter(pk__in=Mentee.objects.filter(cycle=survey.cycle_id).values("user"))
        invitations = SurveyInvitation.objects.bulk_create(
            [SurveyInvitation(survey=survey, user=person) for person in people], ignore_conflicts=True
        )
        survey.sent_at = timezone.now()
        survey.closes_at = survey.closes_at or survey.sent_at + OPEN_FOR
        survey.save(update_fields=["sent_at", "closes_at"])
        for person in people:
            notification_create(
                recipient=person,
                kind="survey",
                dedupe_key=f"survey:{survey.pk}:{person.pk}",
                template="generic",
                program=survey.cycle.program,
                link=reverse("mentoring:survey", args=[survey.pk]),
                context={
                    "subject": f"A short survey: {survey.title}",
                    "message": "Your answers are anonymous." if survey.anonymous else "It takes a few minutes.",
                },
            )
    return len(invitations)


def survey_answer(*, survey: Survey, user: User, answers: dict[int, str]) -> SurveyResponse:
    """Record one response per invitation. Anonymous surveys store no respondent; the
    invitation only records that it was answered."""
    with transaction.atomic():
        invitation = SurveyInvitation.objects.select_for_update().filter(survey=survey, user=user).first()
        if invitation is None:
            raise ValidationError("This survey was not sent to you.")
        if invitation.responded:
            raise ValidationError("You've already answered this survey. Thank you!")
        if survey.is_closed:
            raise ValidationError("This survey has closed. Thank you all the same!")
        questions = {q.pk: q for q in survey.questions.all()}
        response = SurveyResponse.objects.create(survey=survey, respondent=None if survey.anonymous else user)
        Answer.objects.bulk_create(
            [
                Answer(response=response, question=questions[pk], value=value)
                for pk, value in answers.items()
                if pk in questions and str(value).strip()
            ]
        )
        invitation.responded = True
        invitation.save(update_fields=["responded"])
    return response


def survey_close(*, survey: Survey) -> bool:
    """Close an open survey now (it closes by itself at `closes_at`). True if it closed."""
    now = timezone.now()
    closed = Survey.objects.filter(pk=survey.pk, sent_at__isnull=False, closes_at__gt=now).update(closes_at=now)
    if closed:
        survey.closes_at = now
    return bool(closed)


def survey_results(survey: Survey) -> list[dict] | None:
    """None while the survey is open: results that changed with each answer would let a
    reader difference them and read one person's answer. Once closed, no answer can come,
    so the results never change. Per question, through the suppression engine (peers.suppression): nothing at all
    when fewer than 5 answered; choice counts as one suppressed line with its total (1 to
    4 read "<5", and partners are hidden so that the total gives none back); a scale's
    mean only for 5 or more; free text only when 5 or more wrote something, sorted
    alphabetically, never in the order it came."""
    if not survey.is_closed:
        return None
    answers = collections.defaultdict(list)
    for question_id, value in Answer.objects.filter(question__survey=survey).values_list("question_id", "value"):
        answers[question_id].append(value)
    results = []
    for question in survey.questions.all():
        values = answers[question.pk]
        result = {"question": question, "hidden": not may_show(len(values))}
        if not result["hidden"]:
            result.update(_question_result(question, values))
        results.append(result)
    return results


def _question_result(question: Question, values: list[str]) -> dict:
    if question.kind == Question.Kind.SCALE:
        numbers = [int(v) for v in values if v.isdigit()]
        return {"count": len(values), "mean": round(statistics.mean(numbers), 1) if numbers else None}
    if question.kind == Question.Kind.CHOICE:
        counts = collections.Counter(values)
        options = question.options()
        line = suppress_counts([counts[option] for option in options], labels=options)
        return {"count": line.total, "choices": line.items()}
    texts = publishable_texts(values)
    return {"hidden": texts is None, "texts": texts or []}


def referral_make(*, pair: MentorPair, mentor: User, to: str, category: str, note: str) -> MentorReferral:
    """A mentor refers a situation. The faculty mentor, or the program's coordinators, are
    told that there is a referral and its category; the note stays in the app."""
    if mentor.pk not in (pair.third_year_id, pair.fourth_year_id):
        raise ValidationError("Only the pair's mentors make referrals.")
    mentee_data_guard(user=mentor, pair=pair)
    referral = MentorReferral(pair=pair, mentor=mentor, to=to, category=category, note=note.strip() or None)
    referral.full_clean()
    referral.save()
    program = pair.cycle.program
    if to == MentorReferral.To.FACULTY:
        people = [pair.faculty_mentor]
    else:
        people = list(
            User.objects.filter(
                memberships__in=Membership.objects.active().filter(program=program, role=Role.COORDINATOR)
            ).distinct()
        )
    for person in people:
        notification_create(
            recipient=person,
            kind="mentor_referral",
            dedupe_key=f"mentor-referral:{referral.pk}:{person.pk}",
            template="generic",
            program=program,
            link=reverse("mentoring:home"),
            context={
                "subject": f"A peer mentor made a referral ({referral.get_category_display().lower()})",
                "message": f"{mentor.get_full_name()} referred a situation to you. Please get in touch with them.",
            },
        )
    return referral
