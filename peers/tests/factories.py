import datetime

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils import timezone

from peers.models import (
    Institution,
    LearningCommunity,
    Membership,
    Notification,
    ProgramKind,
    Role,
    TrainingKind,
    TrainingProgram,
    TrainingRecord,
    User,
)
from peers.models.programs import CONFIDENTIAL_ROLES
from peers.services.crypto import text_encrypt
from peers.services.role_grants import role_grant_approve, role_grant_propose

TEST_PASSWORD = "correct-horse-battery-staple"
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.edu")
    name = factory.Faker("name")
    time_zone = "America/Toronto"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if not create:
            return
        self.save()
        if extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def give_totp(user: User) -> Authenticator:
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": text_encrypt(TEST_TOTP_SECRET)}
    )


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Institution {n}")
    time_zone = "America/Toronto"
    crisis_resources = "Crisis line: 555-0100"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingProgram

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Program {n}")
    kind = ProgramKind.MEDICAL_SCHOOL
    time_zone = "America/Toronto"


class LearningCommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningCommunity

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Community {n}")


def office_administrators() -> tuple[User, User]:
    """The test well-being office: two administrators, so that one proposes and the other approves."""
    return tuple(
        User.objects.filter(email=email).first()
        or UserFactory(email=email, name=name, is_staff=True, is_superuser=True)
        for email, name in (("office.one@example.edu", "Office One"), ("office.two@example.edu", "Office Two"))
    )


def granted_membership(
    *, user: User, program: TrainingProgram, role: str, starts_on: datetime.date, ends_on=None, **fields
) -> Membership:
    """A peer supporter or support lead membership made the only way there is: one office
    administrator proposes the grant, the other approves it. The grant's notifications are
    dropped: the tests that need such people are not about the grant (test_role_grants_services.py is)."""
    proposer, approver = office_administrators()
    grant = role_grant_propose(
        proposer=proposer,
        user=user,
        program=program,
        role=role,
        reason="Test set-up.",
        starts_on=starts_on,
        ends_on=ends_on,
    )
    membership = role_grant_approve(grant=grant, approver=approver)
    Notification.objects.filter(dedupe_key__startswith=f"role-grant:{grant.pk}:").delete()
    if fields:
        for name, value in fields.items():
            setattr(membership, name, value)
        membership.save()
    return membership


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    role = Role.TRAINEE
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("role") in CONFIDENTIAL_ROLES:
            return granted_membership(**kwargs)
        return super()._create(model_class, *args, **kwargs)


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    user = factory.SubFactory(UserFactory)
    kind = TrainingKind.FACILITATOR
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=300))
