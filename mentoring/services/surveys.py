"""Surveys to mentors or mentees: anonymous by default, open for a fixed time; their
results (mentoring.selectors.surveys) show only once closed."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from mentoring import notify
from mentoring.models import Answer, Mentee, MentorPair, Survey, SurveyInvitation, SurveyResponse
from peers.models import User

OPEN_FOR = datetime.timedelta(days=14)


def _audience(survey: Survey) -> QuerySet[User]:
    """The mentors or the mentees of the cycle's running pairs: a dissolved pair's mentors
    mentor nobody now (unless they are in another pair), so they are not asked."""
    pairs = MentorPair.objects.current().filter(cycle=survey.cycle_id)
    if survey.audience == Survey.Audience.MENTORS:
        return User.objects.filter(Q(pk__in=pairs.values("third_year")) | Q(pk__in=pairs.values("fourth_year")))
    mentees = Mentee.objects.filter(cycle=survey.cycle_id, pair__in=pairs)
    return User.objects.filter(pk__in=mentees.values("user"))


def survey_send(*, survey: Survey) -> int:
    """Invite the audience once and tell them. Returns how many were invited."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update(of=("self",)).select_related("cycle__program").get(pk=survey.pk)
        if survey.sent_at is not None:
            return 0
        if not survey.questions.exists():
            raise ValidationError("Add questions before sending the survey.")
        people = list(_audience(survey))
        invitations = SurveyInvitation.objects.bulk_create(
            [SurveyInvitation(survey=survey, user=person) for person in people], ignore_conflicts=True
        )
        survey.sent_at = timezone.now()
        survey.closes_at = survey.closes_at or survey.sent_at + OPEN_FOR
        survey.save(update_fields=["sent_at", "closes_at"])
        for person in people:
            notify.survey(survey, person)
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
