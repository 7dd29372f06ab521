import datetime

import pytest
from django.utils import timezone

from peers.models import Role, TrainingKind
from peers.tests.factories import MembershipFactory, TrainingRecordFactory, UserFactory, give_totp
from support_requests import services
from support_requests.models import SupporterProfile

NO = {"self_harm": False, "substance": False, "mental_health": False, "medical_advice": False}


@pytest.fixture
def make_supporter(program):
    def make(email, **profile):
        user = UserFactory(email=email)
        give_totp(user)
        MembershipFactory(user=user, program=program, role=Role.PEER_SUPPORTER)
        TrainingRecordFactory(user=user, kind=TrainingKind.PEER_SUPPORTER)
        SupporterProfile.objects.create(user=user, program=program, **profile)
        return user

    return make


@pytest.fixture
def lead(program):
    user = UserFactory(email="lead@example.edu")
    give_totp(user)
    MembershipFactory(user=user, program=program, role=Role.SUPPORT_LEAD)
    return user


@pytest.fixture
def make_request(program):
    def make(requester=None, screening=None, **content):
        content = {
            "reason": "burnout",
            "description": "Night shifts are wearing me down.",
            "contact_method": "email",
            "contact_details": "me@private.example",
            **content,
        }
        return services.request_create(program=program, requester=requester, screening=screening or dict(NO), **content)

    return make


@pytest.fixture
def hours_later():
    return lambda h: timezone.now() + datetime.timedelta(hours=h)
