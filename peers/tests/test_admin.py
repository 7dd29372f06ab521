"""A coordinator of one program finds nothing of another program anywhere in the admin."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from peers.models import (
    AccessLog,
    Institution,
    LearningCommunity,
    Membership,
    Notification,
    Role,
    TrainingProgram,
    TrainingRecord,
    User,
)
from peers.services.notifications import notification_create
from peers.tests.factories import (
    LearningCommunityFactory,
    MembershipFactory,
    TrainingRecordFactory,
    UserFactory,
    give_totp,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_programs(program, other_program, coordinator):
    """Program A (coordinated) and program B (not), each with a person, a community,
    a training record and a notification whose names mark which program they are in."""
    made = {}
    for label, prog in (("alpha", program), ("bravo", other_program)):
        person = UserFactory(email=f"{label}.person@example.edu", name=f"{label.title()} Person")
        community = LearningCommunityFactory(program=prog, name=f"{label.title()} Community")
        membership = MembershipFactory(user=person, program=prog, role=Role.TRAINEE, learning_community=community)
        record = TrainingRecordFactory(user=person)
        notification, _ = notification_create(
            recipient=person,
            kind="test",
            dedupe_key=f"n-{label}",
            template="generic",
            program=prog,
            context={"subject": f"{label.title()} reminder", "message": "hello"},
        )
        made[label] = {
            "person": person,
            "community": community,
            "membership": membership,
            "record": record,
            "notification": notification,
            "program": prog,
        }
    return made


CHANGELISTS = [
    "user",
    "trainingprogram",
    "learningcommunity",
    "membership",
    "trainingrecord",
    "notification",
    "institution",
]


@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelists_show_only_the_coordinators_programs(client, coordinator, two_programs, model):
    client.force_login(coordinator)
    response = client.get(reverse(f"admin:peers_{model}_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "bravo" not in page.lower() and "Surgery Residency" not in page
    if model not in ("institution",):
        assert "alpha" in page.lower() or "MD Program" in page


@pytest.mark.parametrize("model", CHANGELISTS)
def test_search_finds_nothing_of_another_program(client, coordinator, two_programs, model):
    client.force_login(coordinator)
    response = client.get(reverse(f"admin:peers_{model}_changelist"), {"q": "bravo"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0
    # The list without its search (the lists show no such total: it would be a second count).
    assert response.context["cl"].root_queryset.count() <= (1 if model == "institution" else 3)
    page = response.content.decode()
    assert "Bravo Person" not in page and "bravo.person@" not in page and "Surgery Residency" not in page


@pytest.mark.parametrize(
    ("model", "key"),
    [
        ("user", "person"),
        ("membership", "membership"),
        ("learningcommunity", "community"),
        ("trainingrecord", "record"),
        ("notification", "notification"),
        ("trainingprogram", "program"),
    ],
)
def test_objects_of_another_program_answer_404(client, coordinator, two_programs, model, key):
    client.force_login(coordinator)
    obj, own = two_programs["bravo"][key], two_programs["alpha"][key]
    for view in ("change", "history", "delete"):
        response = client.get(reverse(f"admin:peers_{model}_{view}", args=[obj.pk]))
        own_response = client.get(reverse(f"admin:peers_{model}_{view}", args=[own.pk]))
        if own_response.status_code == 403:  # no such right at all (delete a person): same answer for both
            assert response.status_code == 403
        else:
            assert response.status_code == 404, (view, response.status_code)
    assert client.get(reverse(f"admin:peers_{model}_change", args=[own.pk])).status_code == 200


def test_a_refused_admin_object_leaves_an_access_log_row(client, coordinator, two_programs):
    client.force_login(coordinator)
    target = two_programs["bravo"]["membership"]
    client.get(reverse("admin:peers_membership_change", args=[target.pk]))
    row = AccessLog.objects.using("audit").get(object_id=str(target.pk))
    assert (row.actor_id, row.allowed, row.object_type) == (coordinator.pk, False, "peers.membership")


def test_foreign_key_choices_offer_only_own_programs(client, coordinator, two_programs):
    client.force_login(coordinator)
    form = client.get(reverse("admin:peers_membership_add")).context["adminform"].form
    assert list(form.fields["program"].queryset) == [two_programs["alpha"]["program"]]
    assert "Bravo Community" not in [c.name for c in form.fields["learning_community"].queryset]
    assert two_programs["bravo"]["person"] not in form.fields["user"].queryset


def test_posting_a_membership_into_another_program_is_refused(client, coordinator, two_programs):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:peers_membership_add"),
        {
            "user": two_programs["alpha"]["person"].pk,
            "program": two_programs["bravo"]["program"].pk,
            "role": Role.FACILITATOR,
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(program=two_programs["bravo"]["program"], role=Role.FACILITATOR).exists()


def test_filters_list_only_own_programs(client, coordinator, two_programs):
    third = TrainingProgram.objects.create(
        institution=two_programs["alpha"]["program"].institution, name="Fellowship", kind="fellowship"
    )
    MembershipFactory(user=coordinator, program=third, role=Role.COORDINATOR)
    client.force_login(coordinator)
    response = client.get(reverse("admin:peers_membership_changelist"))
    filters = response.content.decode().split('id="changelist-filter"', 1)[1]
    assert "MD Program" in filters and "Fellowship" in filters
    assert "Surgery Residency" not in filters and "Bravo Community" not in filters


def test_export_contains_only_own_programs(client, coordinator, two_programs):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:peers_membership_export"),
        {
            "format": "0",
            "resource": "",
            **{f"membershipresource_{f}": "on" for f in ("email", "name", "program", "role")},
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "alpha.person@example.edu" in body and "bravo" not in body


def test_bulk_delete_action_cannot_reach_another_program(client, coordinator, two_programs):
    client.force_login(coordinator)
    own, other = two_programs["alpha"]["membership"], two_programs["bravo"]["membership"]
    response = client.post(
        reverse("admin:peers_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [own.pk, other.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=own.pk).exists()  # the action works on what is in scope
    assert Membership.objects.filter(pk=other.pk).exists()


def test_coordinator_cannot_grant_staff_or_superuser(client, coordinator, two_programs):
    client.force_login(coordinator)
    person = two_programs["alpha"]["person"]
    form = client.get(reverse("admin:peers_user_change", args=[person.pk])).context["adminform"].form
    assert "is_superuser" not in form.fields and "is_staff" not in form.fields


def test_coordinator_cannot_add_programs_or_institutions(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("admin:peers_trainingprogram_add")).status_code == 403
    assert client.get(reverse("admin:peers_institution_add")).status_code == 403


def test_admin_adds_a_person_with_a_membership_in_one_step(client, coordinator, program):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:peers_user_add"),
        {
            "email": "New.Person@example.edu",
            "name": "New Person",
            "time_zone": "America/Toronto",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-program": program.pk,
            "memberships-0-role": Role.TRAINEE,
            "memberships-0-starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person = User.objects.get(email="new.person@example.edu")
    assert person.memberships.get().program == program
    assert not person.has_usable_password()


def test_superuser_sees_every_program(client, two_programs):
    admin = User.objects.create_superuser("root@example.edu", "x-very-long-password")

    give_totp(admin)
    client.force_login(admin)
    page = client.get(reverse("admin:peers_membership_changelist")).content.decode().lower()
    assert "alpha" in page and "bravo" in page
    assert Institution.objects.count() == 2 and TrainingProgram.objects.count() == 2
    assert LearningCommunity.objects.count() == 2 and TrainingRecord.objects.count() == 2


def test_coordinator_cannot_move_a_program_to_another_institution(client, coordinator, two_programs):
    client.force_login(coordinator)
    own = two_programs["alpha"]["program"]
    form = client.get(reverse("admin:peers_trainingprogram_change", args=[own.pk])).context["adminform"].form
    assert "institution" not in form.fields


def test_coordinator_cannot_set_passwords(client, coordinator, two_programs):
    client.force_login(coordinator)
    person = two_programs["alpha"]["person"]
    url = f"/admin/peers/user/{person.pk}/password/"
    assert client.get(url).status_code == 404
    response = client.post(url, {"password1": "a-new-pass-phrase-1", "password2": "a-new-pass-phrase-1"})
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.check_password("correct-horse-battery-staple")


def test_coordinator_cannot_change_login_email_or_deactivate(client, coordinator, two_programs):
    client.force_login(coordinator)
    person = two_programs["alpha"]["person"]
    form = client.get(reverse("admin:peers_user_change", args=[person.pk])).context["adminform"].form
    assert "email" not in form.fields and "is_active" not in form.fields


@pytest.mark.parametrize("role", [Role.SUPPORT_LEAD, Role.PEER_SUPPORTER, Role.COORDINATOR])
def test_coordinator_cannot_grant_office_roles_even_to_themselves(client, coordinator, program, role):
    client.force_login(coordinator)
    form = client.get(reverse("admin:peers_membership_add")).context["adminform"].form
    assert role not in [value for value, _ in form.fields["role"].choices]
    response = client.post(
        reverse("admin:peers_membership_add"),
        {"user": coordinator.pk, "program": program.pk, "role": role, "starts_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(user=coordinator, role=role).exclude(role=Role.COORDINATOR).exists()


def test_coordinator_cannot_change_or_delete_a_support_lead_membership(client, coordinator, program):
    lead = MembershipFactory(program=program, role=Role.SUPPORT_LEAD)
    client.force_login(coordinator)
    assert client.post(reverse("admin:peers_membership_delete", args=[lead.pk]), {"post": "yes"}).status_code == 403
    assert Membership.objects.filter(pk=lead.pk).exists()


def test_coordinator_cannot_certify_peer_supporters_or_themselves(client, coordinator, two_programs):
    client.force_login(coordinator)
    form = client.get(reverse("admin:peers_trainingrecord_add")).context["adminform"].form
    assert "peer_supporter" not in [value for value, _ in form.fields["kind"].choices]
    assert coordinator not in form.fields["user"].queryset


def test_superuser_changing_an_email_retires_the_old_address(client, two_programs):
    admin = User.objects.create_superuser("office@example.edu", "x-very-long-password")
    give_totp(admin)
    client.force_login(admin)
    person = two_programs["alpha"]["person"]
    data = {
        "email": "alpha.new@example.edu",
        "name": person.name,
        "pronouns": "",
        "phone": "",
        "time_zone": "America/Toronto",
        "is_active": "on",
        "password": person.password,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:peers_user_change", args=[person.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(EmailAddress.objects.filter(user=person).values_list("email", "verified")) == [
        ("alpha.new@example.edu", False)
    ]
    client.logout()
    login = client.post(
        reverse("account_login"), {"login": "alpha.person@example.edu", "password": "correct-horse-battery-staple"}
    )
    assert login.status_code == 200  # the old address no longer signs in


def test_membership_deletions_are_kept_in_history(coordinator, two_programs):
    membership = two_programs["alpha"]["membership"]
    pk = membership.pk
    membership.delete()
    events = Membership.pgh_event_model.objects.filter(pgh_obj_id=pk).values_list("pgh_label", flat=True)
    assert "delete" in list(events)


def test_failed_notifications_show_with_their_error_and_can_be_retried(client, coordinator, two_programs):
    notification = two_programs["alpha"]["notification"]
    Notification.objects.filter(pk=notification.pk).update(
        failed_at=timezone.now(), attempts=8, last_error="SMTPServerDisconnected: Connection unexpectedly closed"
    )
    client.force_login(coordinator)
    page = client.get(reverse("admin:peers_notification_changelist"), {"failed_at__isnull": "False"})
    body = page.content.decode()
    assert "failed" in body and "SMTPServerDisconnected" in body
    client.post(
        reverse("admin:peers_notification_changelist"),
        {"action": "retry_failed", "_selected_action": [notification.pk]},
    )
    notification.refresh_from_db()
    assert (notification.failed_at, notification.attempts) == (None, 0)
