import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from peers.models import Role, TrainingRecord
from peers.tests.factories import MembershipFactory, UserFactory
from sessions_app import services
from sessions_app.models import Facilitation, facilitation_span
from sessions_app.services.facilitation import _local_date
from sessions_app.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_two_trainee_facilitators_or_one_with_an_advisor(session, trained_facilitator, advisor):
    first = trained_facilitator("f1@example.edu")
    services.facilitation_add(session=session, user=first)
    services.facilitation_add(session=session, user=advisor, kind=Facilitation.Kind.WELLNESS_ADVISOR)
    with pytest.raises(ValidationError, match="already has two co-facilitators"):
        services.facilitation_add(session=session, user=trained_facilitator("f2@example.edu"))
    assert session.facilitations.count() == 2


def test_a_facilitator_cannot_hold_two_overlapping_sessions(program, trained_facilitator):
    person = trained_facilitator("busy@example.edu")
    first = SessionFactory(program=program)
    overlapping = SessionFactory(program=program, starts_at=first.starts_at + datetime.timedelta(minutes=30))
    services.facilitation_add(session=first, user=person)
    with pytest.raises(ValidationError, match="already facilitates a session at that time"):
        services.facilitation_add(session=overlapping, user=person)
    later = SessionFactory(program=program, starts_at=first.ends_at)  # back to back is fine
    services.facilitation_add(session=later, user=person)


def test_the_database_itself_refuses_an_overlap(program, trained_facilitator):
    person = trained_facilitator("raw@example.edu")
    first = SessionFactory(program=program)
    second = SessionFactory(program=program, starts_at=first.starts_at + datetime.timedelta(minutes=10))
    Facilitation.objects.create(
        session=first, user=person, slot=1, span=facilitation_span(person.pk, first.starts_at, first.ends_at)
    )
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Facilitation.objects.bulk_create(
                [
                    Facilitation(
                        session=second,
                        user=person,
                        slot=1,
                        span=facilitation_span(person.pk, second.starts_at, second.ends_at),
                    )
                ]
            )


def test_expired_training_or_no_membership_cannot_facilitate(session, trained_facilitator, trainee):
    expired = trained_facilitator("expired@example.edu")
    local_day = _local_date(session)  # training is checked on the session's local date
    TrainingRecord.objects.filter(user=expired).update(expires_on=local_day - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="no current facilitator training"):
        services.facilitation_add(session=session, user=expired)
    with pytest.raises(ValidationError, match="not an active facilitator"):
        services.facilitation_add(session=session, user=trainee)


def test_a_session_has_at_most_one_wellness_advisor(session, advisor, program):
    second_advisor = UserFactory()
    MembershipFactory(user=second_advisor, program=program, role=Role.WELLNESS_ADVISOR)
    services.facilitation_add(session=session, user=advisor, kind=Facilitation.Kind.WELLNESS_ADVISOR)
    with pytest.raises(ValidationError, match="at most one wellness advisor"):
        services.facilitation_add(session=session, user=second_advisor, kind=Facilitation.Kind.WELLNESS_ADVISOR)
