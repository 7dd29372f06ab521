import pytest
from django.core.management import CommandError, call_command

from peers.models import (
    GrantStatus,
    Institution,
    LearningCommunity,
    Membership,
    Role,
    RoleGrant,
    TrainingProgram,
    TrainingRecord,
    User,
)
from peers.models.programs import CONFIDENTIAL_ROLES


def _counts():
    return (
        User.objects.count(),
        Membership.objects.count(),
        TrainingRecord.objects.count(),
        TrainingProgram.objects.count(),
        LearningCommunity.objects.count(),
        Institution.objects.count(),
        Membership.pgh_event_model.objects.count(),
        RoleGrant.objects.count(),
    )


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DJANGO_DEBUG=true"):
        call_command("seed_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_demo_builds_the_institution_and_running_it_twice_changes_nothing(capsys, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert "coordinator@lakeshore-med.example" in output and "peers-demo-2026" in output
    md = TrainingProgram.objects.get(name="MD Program")
    for year in range(1, 5):
        assert Membership.objects.filter(program=md, role=Role.TRAINEE, class_year=year).count() >= 120
    assert md.learning_communities.count() == 4
    residency = TrainingProgram.objects.get(name="Internal Medicine Residency")
    assert Membership.objects.filter(program=residency, role=Role.TRAINEE).count() >= 60
    for role in Role.values:
        assert Membership.objects.filter(role=role).exists(), role
    confidential = Membership.objects.filter(role__in=CONFIDENTIAL_ROLES).select_related("grant")
    assert confidential.count() == 8
    for membership in confidential:  # granted as anyone is: proposed by one administrator, approved by another
        assert membership.grant.status == GrantStatus.APPROVED
        assert membership.grant.proposed_by.email == "admin@lakeshore-med.example"
        assert membership.grant.approved_by.email == "office@lakeshore-med.example"
    before = _counts()
    call_command("seed_demo")
    assert _counts() == before
    assert User.objects.get(email="coordinator@lakeshore-med.example").check_password("peers-demo-2026")
