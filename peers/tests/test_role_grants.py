"""Granting peer supporter or support lead takes two office administrators, tells the
program's current leads, and is the only way such a membership comes to exist."""

import contextlib
import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from peers.models import GrantStatus, Membership, Notification, Role, RoleGrant
from peers.services import role_grants
from peers.services.role_grants import (
    confidential_membership_end,
    role_grant_approve,
    role_grant_propose,
    role_grant_reject,
)
from peers.services.roster import roster_import
from peers.tests.factories import MembershipFactory, UserFactory, give_totp, office_administrators

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@contextlib.contextmanager
def refused(constraint_or_message: str):
    """The database refuses the write (in a savepoint, so that the test can go on)."""
    with pytest.raises(IntegrityError, match=constraint_or_message), transaction.atomic():
        yield


@pytest.fixture
def office():
    """Two office administrators (superusers) with two-factor set up."""
    first, second = office_administrators()
    give_totp(first)
    give_totp(second)
    return first, second


@pytest.fixture
def leads(program):
    """The program's two current support leads, and one whose role has ended."""
    current = [MembershipFactory(program=program, role=Role.SUPPORT_LEAD).user for _ in range(2)]
    MembershipFactory(
        program=program,
        role=Role.SUPPORT_LEAD,
        starts_on=TODAY() - datetime.timedelta(days=400),
        ends_on=TODAY() - datetime.timedelta(days=10),
    )
    return current


@pytest.fixture
def candidate(db):
    return UserFactory(email="candidate@example.edu", name="Casey Candidate")


def _propose(office, candidate, program, role=Role.PEER_SUPPORTER, **kwargs):
    return role_grant_propose(
        proposer=office[0],
        user=candidate,
        program=program,
        role=role,
        reason="Completed peer supporter training.",
        **kwargs,
    )


def _raw_grant(office, candidate, program, **fields):
    return RoleGrant.objects.create(
        user=candidate,
        program=program,
        role=Role.PEER_SUPPORTER,
        reason="raw",
        proposed_by=office[0],
        **fields,
    )


# --- two people, neither of them the grantee ----------------------------------------------------


def test_a_proposal_grants_nothing_and_asks_the_other_administrators(office, candidate, program):
    grant = _propose(office, candidate, program)
    assert grant.status == GrantStatus.PROPOSED
    assert not Membership.objects.filter(user=candidate).exists()
    asked = Notification.objects.filter(kind="role_grant_proposed")
    assert [n.recipient for n in asked] == [office[1]]
    assert asked.get().link == reverse("admin:peers_rolegrant_change", args=[grant.pk])


def test_one_administrator_cannot_propose_and_approve(office, candidate, program):
    grant = _propose(office, candidate, program)
    with pytest.raises(ValidationError, match="You proposed this grant"):
        role_grant_approve(grant=grant, approver=office[0])
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PROPOSED
    assert not Membership.objects.filter(user=candidate).exists()


def test_the_database_refuses_an_approval_by_the_proposer(office, candidate, program):
    """The CHECK holds even where the service's check and full_clean() are skipped."""
    grant = _propose(office, candidate, program)
    with refused("role_grant_approver_is_not_proposer"):
        RoleGrant.objects.filter(pk=grant.pk).update(
            status=GrantStatus.APPROVED, approved_by=office[0], approved_at=timezone.now()
        )


def test_the_grantee_cannot_approve_their_own_grant(office, program):
    third = UserFactory(email="office.three@example.edu", is_staff=True, is_superuser=True)
    grant = _propose(office, third, program, role=Role.SUPPORT_LEAD)
    with pytest.raises(ValidationError, match="Nobody approves a role for themselves"):
        role_grant_approve(grant=grant, approver=third)
    assert not Membership.objects.filter(user=third).exists()
    with refused("role_grant_not_to_oneself"):
        RoleGrant.objects.filter(pk=grant.pk).update(
            status=GrantStatus.APPROVED, approved_by=third, approved_at=timezone.now()
        )


def test_nobody_proposes_a_role_for_themselves(office, program):
    with pytest.raises(ValidationError, match="Nobody proposes a role for themselves"):
        _propose(office, office[0], program)
    with refused("role_grant_not_to_oneself"):
        _raw_grant(office, office[0], program)


def test_only_office_administrators_propose_or_approve(office, coordinator, candidate, program):
    with pytest.raises(ValidationError, match="Only an office administrator"):
        role_grant_propose(proposer=coordinator, user=candidate, program=program, role=Role.PEER_SUPPORTER, reason="x")
    grant = _propose(office, candidate, program)
    with pytest.raises(ValidationError, match="Only an office administrator"):
        role_grant_approve(grant=grant, approver=coordinator)
    assert not Membership.objects.filter(user=candidate).exists()


def test_only_the_confidential_roles_are_granted_this_way(office, candidate, program):
    with pytest.raises(ValidationError, match="Only the peer supporter and support lead roles"):
        _propose(office, candidate, program, role=Role.COORDINATOR)
    with refused("role_grant_confidential_roles_only"):
        RoleGrant.objects.create(
            user=candidate, program=program, role=Role.TRAINEE, reason="raw", proposed_by=office[0]
        )


def test_a_person_has_at_most_one_open_proposal_per_role(office, candidate, program):
    _propose(office, candidate, program)
    with pytest.raises(ValidationError, match="already has a proposal"):
        _propose(office, candidate, program)
    with refused("role_grant_one_open_proposal"):
        _raw_grant(office, candidate, program)
    _propose(office, candidate, program, role=Role.SUPPORT_LEAD)  # another role is another proposal


# --- approval -----------------------------------------------------------------------------------


def test_approval_gives_the_role_and_tells_each_current_lead_and_the_grantee(office, candidate, program, leads):
    grant = _propose(office, candidate, program, ends_on=TODAY() + datetime.timedelta(days=365))
    membership = role_grant_approve(grant=grant, approver=office[1])
    assert (membership.user, membership.role, membership.grant) == (candidate, Role.PEER_SUPPORTER, grant)
    assert membership.is_active() and membership.ends_on == grant.ends_on
    told = Notification.objects.filter(kind="role_grant_approved")
    assert sorted(n.recipient.pk for n in told) == sorted(lead.pk for lead in leads)  # not the ended lead
    for notification in told:
        assert "Casey Candidate" in notification.subject and "peer supporter" in notification.subject
        assert office[0].name in notification.body and office[1].name in notification.body
        assert grant.reason not in notification.body
    assert Notification.objects.get(kind="role_grant_received").recipient == candidate
    with pytest.raises(ValidationError, match="already approved"):
        role_grant_approve(grant=grant, approver=office[1])
    assert Notification.objects.filter(kind="role_grant_approved").count() == 2


def test_a_program_without_a_lead_tells_its_coordinators(office, candidate, program, coordinator):
    role_grant_approve(grant=_propose(office, candidate, program, role=Role.SUPPORT_LEAD), approver=office[1])
    assert [n.recipient for n in Notification.objects.filter(kind="role_grant_approved")] == [coordinator]


def test_rejecting_grants_nothing_and_tells_the_proposer(office, candidate, program, leads):
    grant = _propose(office, candidate, program)
    role_grant_reject(grant=grant, rejecter=office[1])
    grant.refresh_from_db()
    assert (grant.status, grant.rejected_by) == (GrantStatus.REJECTED, office[1])
    assert not Membership.objects.filter(user=candidate).exists()
    assert Notification.objects.get(kind="role_grant_rejected").recipient == office[0]
    assert not Notification.objects.filter(kind="role_grant_approved").exists()
    with pytest.raises(ValidationError, match="already rejected"):
        role_grant_approve(grant=grant, approver=office[1])


def test_an_ended_role_is_renewed_only_by_a_new_grant(office, candidate, program):
    ended = MembershipFactory(
        user=candidate,
        program=program,
        role=Role.PEER_SUPPORTER,
        starts_on=TODAY() - datetime.timedelta(days=400),
        ends_on=TODAY() - datetime.timedelta(days=30),
    )
    ended.ends_on = None
    with refused("extended only by a new approved role grant"):
        ended.save()
    renewed = role_grant_approve(grant=_propose(office, candidate, program), approver=office[1])
    assert renewed.pk == ended.pk and renewed.is_active() and renewed.ends_on is None


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_make_exactly_one_membership(office, candidate, program, monkeypatch):
    """Two administrators approve the same proposal at the same moment, from two threads
    with their own database connections. The grant's row lock makes the second wait and
    then find it approved; without the lock both would pass the status check (the barrier
    lets each reach the membership insert before the other commits)."""
    third = UserFactory(email="office.three@example.edu", is_staff=True, is_superuser=True)
    grant = _propose(office, candidate, program)
    barrier = threading.Barrier(2, timeout=3)
    original = role_grants._membership_from

    def meet_then_insert(locked_grant):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass  # the other approval is waiting for the lock, as it should
        return original(locked_grant)

    monkeypatch.setattr(role_grants, "_membership_from", meet_then_insert)
    outcomes = []

    def approve(approver):
        try:
            role_grant_approve(grant=RoleGrant.objects.get(pk=grant.pk), approver=approver)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        except Exception as error:  # an IntegrityError would mean the race got through
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(who,)) for who in (office[1], third)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(outcomes) == ["approved", "refused"]
    assert Membership.objects.filter(user=candidate, role=Role.PEER_SUPPORTER).count() == 1
    assert Notification.objects.filter(kind="role_grant_received").count() == 1


# --- the database backstop ----------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SUPPORT_LEAD, Role.PEER_SUPPORTER])
def test_the_database_refuses_a_confidential_membership_without_an_approved_grant(office, candidate, program, role):
    with refused("needs an approved role grant"):
        Membership.objects.create(user=candidate, program=program, role=role)
    waiting = _propose(office, candidate, program, role=role)
    with refused("needs an approved role grant"):
        Membership.objects.create(user=candidate, program=program, role=role, grant=waiting)
    assert not Membership.objects.filter(user=candidate).exists()


def test_the_database_keeps_a_decided_grant_as_it_was(office, candidate, program, trainee):
    approved = _propose(office, candidate, program)
    role_grant_approve(grant=approved, approver=office[1])
    rejected = _propose(office, trainee, program)
    role_grant_reject(grant=rejected, rejecter=office[1])
    for write in (
        lambda: RoleGrant.objects.filter(pk=approved.pk).update(user=trainee),
        lambda: RoleGrant.objects.filter(pk=approved.pk).update(ends_on=None, reason="rewritten"),
        lambda: RoleGrant.objects.filter(pk=rejected.pk).update(status=GrantStatus.PROPOSED),
        lambda: RoleGrant.objects.filter(pk=rejected.pk).delete(),
    ):
        with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
            write()
    approved.refresh_from_db()
    assert (approved.user, approved.reason) == (candidate, "Completed peer supporter training.")
    assert RoleGrant.objects.get(pk=rejected.pk).status == GrantStatus.REJECTED


def test_the_database_keeps_a_membership_within_its_grants_dates(office, candidate, program):
    ends = TODAY() + datetime.timedelta(days=90)
    granted = role_grant_approve(grant=_propose(office, candidate, program, ends_on=ends), approver=office[1])
    granted.delete()
    before_the_grant = TODAY() - datetime.timedelta(days=1)
    with refused("needs an approved role grant"):
        Membership.objects.create(
            user=candidate, program=program, role=Role.PEER_SUPPORTER, grant=granted.grant, starts_on=before_the_grant
        )
    with refused("needs an approved role grant"):
        Membership.objects.create(user=candidate, program=program, role=Role.PEER_SUPPORTER, grant=granted.grant)
    assert not Membership.objects.filter(user=candidate).exists()


def test_the_database_keeps_a_grant_consistent_with_its_decision(office, candidate, program):
    grant = _propose(office, candidate, program)
    with refused("role_grant_status_matches_decision"):
        RoleGrant.objects.filter(pk=grant.pk).update(status=GrantStatus.APPROVED)
    with refused("role_grant_status_matches_decision"):
        RoleGrant.objects.filter(pk=grant.pk).update(approved_by=office[1], approved_at=timezone.now())
    with refused("role_grant_ends_after_start"):
        RoleGrant.objects.filter(pk=grant.pk).update(ends_on=grant.starts_on - datetime.timedelta(days=1))


def test_the_database_refuses_borrowing_someone_elses_grant_or_turning_a_trainee_into_a_lead(
    office, candidate, program, trainee
):
    granted = role_grant_approve(grant=_propose(office, candidate, program), approver=office[1])
    with refused("needs an approved role grant"):
        Membership.objects.create(user=trainee, program=program, role=Role.PEER_SUPPORTER, grant=granted.grant)
    with refused("needs an approved role grant"):
        Membership.objects.filter(user=trainee, role=Role.TRAINEE).update(role=Role.SUPPORT_LEAD)
    assert Membership.objects.filter(user=trainee).get().role == Role.TRAINEE


def test_ending_a_confidential_role_early_tells_the_leads_and_the_person(office, candidate, program, leads):
    membership = role_grant_approve(grant=_propose(office, candidate, program), approver=office[1])
    Notification.objects.all().delete()
    confidential_membership_end(membership=membership, ends_on=TODAY(), ended_by=office[0])
    membership.refresh_from_db()
    assert membership.ends_on == TODAY()
    told = {n.recipient for n in Notification.objects.filter(kind="confidential_membership_ended")}
    assert told == {*leads, candidate}
    membership.ends_on = None
    with refused("extended only by a new approved role grant"):
        membership.save()


# --- every other way in is closed ---------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SUPPORT_LEAD, Role.PEER_SUPPORTER])
def test_the_membership_admin_offers_no_confidential_role_even_to_a_superuser(client, office, candidate, program, role):
    client.force_login(office[0])
    form = client.get(reverse("admin:peers_membership_add")).context["adminform"].form
    assert role not in [value for value, _ in form.fields["role"].choices]
    assert Role.TRAINEE in [value for value, _ in form.fields["role"].choices]
    response = client.post(
        reverse("admin:peers_membership_add"),
        {"user": candidate.pk, "program": program.pk, "role": role, "starts_on": TODAY().isoformat()},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(user=candidate).exists()


def test_the_user_page_offers_no_confidential_role_even_to_a_superuser(client, office, candidate, program):
    client.force_login(office[0])
    page = client.get(reverse("admin:peers_user_change", args=[candidate.pk]))
    inline_form = page.context["inline_admin_formsets"][0].formset.empty_form
    assert Role.SUPPORT_LEAD not in [value for value, _ in inline_form.fields["role"].choices]
    data = {
        "email": candidate.email,
        "name": candidate.name,
        "pronouns": "",
        "phone": "",
        "time_zone": "America/Toronto",
        "is_active": "on",
        "password": candidate.password,
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-program": program.pk,
        "memberships-0-role": Role.SUPPORT_LEAD,
        "memberships-0-starts_on": TODAY().isoformat(),
    }
    response = client.post(reverse("admin:peers_user_change", args=[candidate.pk]), data)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(user=candidate).exists()


@pytest.mark.parametrize("role", ["support_lead", "peer_supporter"])
def test_the_roster_import_refuses_confidential_rows_even_from_the_office(office, program, role):
    text = (
        "email,name,program,role,starts_on,ends_on,class_year,pgy,is_md_phd,learning_community\n"
        f"ok.trainee@example.edu,Ok Trainee,{program.name},trainee,2026-07-01,,1,,no,\n"
        f"new.lead@example.edu,New Lead,{program.name},{role},2026-07-01,,,,no,\n"
    )
    _, problems = roster_import(actor=office[0], csv_text=text)
    assert [(p.line, p.column) for p in problems] == [(3, "role")]
    assert "one office administrator proposes and another approves" in problems[0].message
    assert not Membership.objects.filter(user__email__in=["new.lead@example.edu", "ok.trainee@example.edu"]).exists()


def test_the_office_ends_a_confidential_membership_in_the_admin_but_cannot_extend_it(
    client, office, candidate, program, leads
):
    membership = role_grant_approve(
        grant=_propose(office, candidate, program, ends_on=TODAY() + datetime.timedelta(days=90)), approver=office[1]
    )
    client.force_login(office[0])
    url = reverse("admin:peers_membership_change", args=[membership.pk])
    form = client.get(url).context["adminform"].form
    assert form.fields["role"].disabled and form.fields["user"].disabled and form.fields["program"].disabled
    base = {"class_year": "", "pgy": "", "learning_community": ""}
    later = client.post(url, {**base, "ends_on": (TODAY() + datetime.timedelta(days=200)).isoformat()})
    assert later.status_code == 200 and "needs a new role grant" in later.content.decode()
    response = client.post(url, {**base, "ends_on": TODAY().isoformat()})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.ends_on, membership.role, membership.user) == (TODAY(), Role.PEER_SUPPORTER, candidate)
    told = {n.recipient for n in Notification.objects.filter(kind="confidential_membership_ended")}
    assert told == {*leads, candidate}


# --- the role grant admin -----------------------------------------------------------------------


def _action(client, action, grant):
    return client.post(
        reverse("admin:peers_rolegrant_changelist"),
        {"action": action, "_selected_action": [grant.pk]},
        follow=True,
    )


def test_the_office_proposes_in_the_admin_and_another_administrator_approves(client, office, candidate, program, leads):
    client.force_login(office[0])
    response = client.post(
        reverse("admin:peers_rolegrant_add"),
        {
            "user": candidate.pk,
            "program": program.pk,
            "role": Role.PEER_SUPPORTER,
            "starts_on": TODAY().isoformat(),
            "ends_on": "",
            "reason": "Completed the spring training.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    grant = RoleGrant.objects.get(user=candidate)
    assert (grant.status, grant.proposed_by) == (GrantStatus.PROPOSED, office[0])
    assert Notification.objects.get(kind="role_grant_proposed").recipient == office[1]

    own = _action(client, "approve_selected", grant)
    assert own.status_code == 200
    assert "another office administrator must approve it" in own.content.decode()
    assert not Membership.objects.filter(user=candidate).exists()

    client.force_login(office[1])
    approved = _action(client, "approve_selected", grant)
    assert "1 proposal(s) approved" in approved.content.decode()
    grant.refresh_from_db()
    assert (grant.status, grant.approved_by) == (GrantStatus.APPROVED, office[1])
    assert Membership.objects.get(user=candidate, role=Role.PEER_SUPPORTER).grant == grant
    assert Notification.objects.filter(kind="role_grant_approved").count() == len(leads)


def test_the_admin_refuses_a_proposal_for_oneself_next_to_the_form(client, office, program):
    client.force_login(office[0])
    response = client.post(
        reverse("admin:peers_rolegrant_add"),
        {"user": office[0].pk, "program": program.pk, "role": Role.SUPPORT_LEAD, "starts_on": TODAY().isoformat()}
        | {"ends_on": "", "reason": "I would like to read the requests."},
    )
    assert response.status_code == 200 and "Nobody proposes a role for themselves" in response.content.decode()
    assert not RoleGrant.objects.exists()


def test_the_changelist_lists_every_grant_with_who_proposed_and_who_approved(client, office, candidate, program):
    approved = _propose(office, candidate, program)
    role_grant_approve(grant=approved, approver=office[1])
    waiting = _propose(office, UserFactory(email="waiting@example.edu"), program, role=Role.SUPPORT_LEAD)
    client.force_login(office[1])
    url = reverse("admin:peers_rolegrant_changelist")
    page = client.get(url)
    assert page.context["cl"].result_count == 2
    text = page.content.decode()
    assert "Office One" in text and "Office Two" in text and "Waiting for a second administrator" in text
    assert list(client.get(url, {"status__exact": "approved"}).context["cl"].result_list) == [approved]
    assert list(client.get(url, {"q": "waiting@"}).context["cl"].result_list) == [waiting]


def test_coordinators_cannot_see_or_use_the_role_grant_admin(client, coordinator, office, candidate, program):
    grant = _propose(office, candidate, program)
    client.force_login(coordinator)
    assert client.get(reverse("admin:peers_rolegrant_changelist")).status_code == 403
    assert client.get(reverse("admin:peers_rolegrant_add")).status_code == 403
    assert client.get(reverse("admin:peers_rolegrant_change", args=[grant.pk])).status_code == 403
    assert _action(client, "approve_selected", grant).status_code == 403
    assert "rolegrant" not in client.get(reverse("admin:index")).content.decode()
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PROPOSED


def test_the_grants_page_has_approve_and_reject_buttons_for_the_other_administrator(
    client, office, coordinator, candidate, program
):
    grant = _propose(office, candidate, program)
    page = reverse("admin:peers_rolegrant_change", args=[grant.pk])
    approve = reverse("admin:peers_rolegrant_approve", args=[grant.pk])
    client.force_login(office[0])
    own = client.get(page).content.decode()
    assert approve not in own and "Withdraw" in own
    refused = client.post(approve, follow=True)
    assert "another office administrator must approve it" in refused.content.decode()
    assert not Membership.objects.filter(user=candidate).exists()
    client.force_login(coordinator)
    assert client.post(approve).status_code == 404
    client.force_login(office[1])
    assert approve in client.get(page).content.decode()
    assert client.get(approve).status_code == 405
    assert client.post(approve).status_code == 302
    assert Membership.objects.get(user=candidate).grant == grant
    assert approve not in client.get(page).content.decode()  # decided: no buttons any more


def test_removing_a_confidential_membership_in_the_admin_tells_the_leads_and_keeps_the_grant(
    client, office, candidate, program, leads
):
    membership = role_grant_approve(grant=_propose(office, candidate, program), approver=office[1])
    client.force_login(office[0])
    response = client.post(reverse("admin:peers_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert RoleGrant.objects.get(pk=membership.grant_id).status == GrantStatus.APPROVED
    removed = Notification.objects.filter(kind="confidential_membership_removed")
    assert {n.recipient for n in removed} == {*leads, candidate}
    assert all("Casey Candidate" in n.subject or n.recipient == candidate for n in removed)


def test_the_user_page_still_saves_a_person_who_holds_a_confidential_role(client, office, candidate, program):
    membership = role_grant_approve(grant=_propose(office, candidate, program), approver=office[1])
    client.force_login(office[0])
    url = reverse("admin:peers_user_change", args=[candidate.pk])
    row = client.get(url).context["inline_admin_formsets"][0].formset.forms[0]
    assert row.fields["role"].disabled and row.fields["program"].disabled
    data = {
        "email": candidate.email,
        "name": "Casey Renamed",
        "pronouns": "",
        "phone": "",
        "time_zone": "America/Toronto",
        "is_active": "on",
        "password": candidate.password,
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": membership.pk,
        "memberships-0-user": candidate.pk,
        "memberships-0-program": program.pk,  # a tampered value would be ignored: the field is disabled
        "memberships-0-role": Role.TRAINEE,
        "memberships-0-starts_on": membership.starts_on.isoformat(),
        "memberships-0-ends_on": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    candidate.refresh_from_db()
    membership.refresh_from_db()
    assert candidate.name == "Casey Renamed" and membership.role == Role.PEER_SUPPORTER


def test_the_grant_list_costs_the_same_queries_however_many_grants(client, office, program, django_assert_num_queries):
    """9 queries, for 2 grants as for 6: the session, the user, their authenticator (the MFA
    check), the program filter's choices, the filtered and the full count, the page of grants
    with their person, program, proposer, approver and rejecter in one join, and the date
    hierarchy's range and days."""
    url = reverse("admin:peers_rolegrant_changelist")
    for _ in range(2):
        role_grant_approve(grant=_propose(office, UserFactory(), program), approver=office[1])
    client.force_login(office[1])
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200
    for n in range(4):
        _propose(office, UserFactory(), program, role=Role.SUPPORT_LEAD if n % 2 else Role.PEER_SUPPORTER)
    with django_assert_num_queries(9):
        assert client.get(url).context["cl"].result_count == 6
