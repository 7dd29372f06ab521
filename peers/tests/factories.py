import datetime

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils import timezone

from peers.models import (
    Institution,
    LearningCommunity,
    Membership,
    ProgramKind,
    Role,
    TrainingKind,
    TrainingProgram,
    TrainingRecord,
    User,
)
from peers.services.crypto import text_encrypt

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


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    role = Role.TRAINEE
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    user = factory.SubFactory(UserFactory)
    kind = TrainingKind.FACILITATOR
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=300))
