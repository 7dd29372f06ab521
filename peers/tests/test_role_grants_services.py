"""Granting peer supporter or support lead takes two office administrators, tells the
program's current leads, and is the only way such a membership comes to exist
(peers/services/role_grants.py, and the database's backstop in peers/models/grants.py and
the membership trigger). The admin's side is in test_role_grants_admin.py."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import InternalError, transaction
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
from peers.testing.concurrency import run_concurrently
from peers.tests.factories import MembershipFactory, UserFactory
from peers.tests.grants import propose, refused

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


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
    grant = propose(office, candidate, program)
    assert grant.status == GrantStatus.PROPOSED
    assert not Membership.objects.filter(user=candidate).exists()
    asked = Notification.objects.filter(kind="role_grant_proposed")
    assert [n.recipient for n in asked] == [office[1]]
    assert asked.get().link == reverse("admin:peers_rolegrant_change", args=[grant.pk])


def test_one_administrator_cannot_propose_and_approve(office, candidate, program):
    grant = propose(office, candidate, program)
    with pytest.raises(ValidationError, match="You proposed this grant"):
        role_grant_approve(grant=grant, approver=office[0])
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PROPOSED
    assert not Membership.objects.filter(user=candidate).exists()


def test_the_database_refuses_an_approval_by_the_proposer(office, candidate, program):
    """The CHECK holds even where the service's check and full_clean() are skipped."""
    grant = propose(office, candidate, program)
    with refused("role_grant_approver_is_not_proposer"):
        RoleGrant.objects.filter(pk=grant.pk).update(
            status=GrantStatus.APPROVED, approved_by=office[0], approved_at=timezone.now()
        )


def test_the_grantee_cannot_approve_their_own_grant(office, program):
    third = UserFactory(email="office.three@example.edu", is_staff=True, is_superuser=True)
    grant = propose(office, third, program, role=Role.SUPPORT_LEAD)
    with pytest.raises(ValidationError, match="Nobody approves a role for themselves"):
        role_grant_approve(grant=grant, approver=third)
    assert not Membership.objects.filter(user=third).exists()
    with refused("role_grant_not_to_oneself"):
        RoleGrant.objects.filter(pk=grant.pk).update(
            status=GrantStatus.APPROVED, approved_by=third, approved_at=timezone.now()
        )


def test_nobody_proposes_a_role_for_themselves(office, program):
    with pytest.raises(ValidationError, match="Nobody proposes a role for themselves"):
        propose(office, office[0], program)
    with refused("role_grant_not_to_oneself"):
        _raw_grant(office, office[0], program)


def test_only_office_administrators_propose_or_approve(office, coordinator, candidate, program):
    with pytest.raises(ValidationError, match="Only an office administrator"):
        role_grant_propose(proposer=coordinator, user=candidate, program=program, role=Role.PEER_SUPPORTER, reason="x")
    grant = propose(office, candidate, program)
    with pytest.raises(ValidationError, match="Only an office administrator"):
        role_grant_approve(grant=grant, approver=coordinator)
    assert not Membership.objects.filter(user=candidate).exists()


def test_only_the_confidential_roles_are_granted_this_way(office, candidate, program):
    with pytest.raises(ValidationError, match="Only the peer supporter and support lead roles"):
        propose(office, candidate, program, role=Role.COORDINATOR)
    with refused("role_grant_confidential_roles_only"):
        RoleGrant.objects.create(
            user=candidate, program=program, role=Role.TRAINEE, reason="raw", proposed_by=office[0]
        )


def test_a_person_has_at_most_one_open_proposal_per_role(office, candidate, program):
    propose(office, candidate, program)
    with pytest.raises(ValidationError, match="already has a proposal"):
        propose(office, candidate, program)
    with refused("role_grant_one_open_proposal"):
        _raw_grant(office, candidate, program)
    propose(office, candidate, program, role=Role.SUPPORT_LEAD)  # another role is another proposal


# --- approval -----------------------------------------------------------------------------------


def test_approval_gives_the_role_and_tells_each_current_lead_and_the_grantee(office, candidate, program, leads):
    grant = propose(office, candidate, program, ends_on=TODAY() + datetime.timedelta(days=365))
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
    role_grant_approve(grant=propose(office, candidate, program, role=Role.SUPPORT_LEAD), approver=office[1])
    assert [n.recipient for n in Notification.objects.filter(kind="role_grant_approved")] == [coordinator]


def test_rejecting_grants_nothing_and_tells_the_proposer(office, candidate, program, leads):
    grant = propose(office, candidate, program)
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
    renewed = role_grant_approve(grant=propose(office, candidate, program), approver=office[1])
    assert renewed.pk == ended.pk and renewed.is_active() and renewed.ends_on is None


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_make_exactly_one_membership(office, candidate, program, monkeypatch):
    """Two administrators approve the same proposal at the same moment, from two threads
    with their own database connections. The grant's row lock makes the second wait and
    then find it approved; without the lock both would pass the status check (the barrier
    lets each reach the membership insert before the other commits)."""
    third = UserFactory(email="office.three@example.edu", is_staff=True, is_superuser=True)
    grant = propose(office, candidate, program)
    barrier = threading.Barrier(2, timeout=3)
    original = role_grants._membership_from

    def meet_then_insert(locked_grant):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass  # the other approval is waiting for the lock, as it should
        return original(locked_grant)

    monkeypatch.setattr(role_grants, "_membership_from", meet_then_insert)

    def approve(approver):
        try:
            role_grant_approve(grant=RoleGrant.objects.get(pk=grant.pk), approver=approver)
            return "approved"
        except ValidationError:
            return "refused"

    results = run_concurrently(lambda: approve(office[1]), lambda: approve(third), timeout=20)
    # Any other exception is returned as it is: an IntegrityError would mean the race got through.
    outcomes = [result if isinstance(result, str) else type(result).__name__ for result in results]
    assert sorted(outcomes) == ["approved", "refused"]
    assert Membership.objects.filter(user=candidate, role=Role.PEER_SUPPORTER).count() == 1
    assert Notification.objects.filter(kind="role_grant_received").count() == 1


# --- the database backstop ----------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SUPPORT_LEAD, Role.PEER_SUPPORTER])
def test_the_database_refuses_a_confidential_membership_without_an_approved_grant(office, candidate, program, role):
    with refused("needs an approved role grant"):
        Membership.objects.create(user=candidate, program=program, role=role)
    waiting = propose(office, candidate, program, role=role)
    with refused("needs an approved role grant"):
        Membership.objects.create(user=candidate, program=program, role=role, grant=waiting)
    assert not Membership.objects.filter(user=candidate).exists()


def test_the_database_keeps_a_decided_grant_as_it_was(office, candidate, program, trainee):
    approved = propose(office, candidate, program)
    role_grant_approve(grant=approved, approver=office[1])
    rejected = propose(office, trainee, program)
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
    granted = role_grant_approve(grant=propose(office, candidate, program, ends_on=ends), approver=office[1])
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
    grant = propose(office, candidate, program)
    with refused("role_grant_status_matches_decision"):
        RoleGrant.objects.filter(pk=grant.pk).update(status=GrantStatus.APPROVED)
    with refused("role_grant_status_matches_decision"):
        RoleGrant.objects.filter(pk=grant.pk).update(approved_by=office[1], approved_at=timezone.now())
    with refused("role_grant_ends_after_start"):
        RoleGrant.objects.filter(pk=grant.pk).update(ends_on=grant.starts_on - datetime.timedelta(days=1))


def test_the_database_refuses_borrowing_someone_elses_grant_or_turning_a_trainee_into_a_lead(
    office, candidate, program, trainee
):
    granted = role_grant_approve(grant=propose(office, candidate, program), approver=office[1])
    with refused("needs an approved role grant"):
        Membership.objects.create(user=trainee, program=program, role=Role.PEER_SUPPORTER, grant=granted.grant)
    with refused("needs an approved role grant"):
        Membership.objects.filter(user=trainee, role=Role.TRAINEE).update(role=Role.SUPPORT_LEAD)
    assert Membership.objects.filter(user=trainee).get().role == Role.TRAINEE


def test_ending_a_confidential_role_early_tells_the_leads_and_the_person(office, candidate, program, leads):
    membership = role_grant_approve(grant=propose(office, candidate, program), approver=office[1])
    Notification.objects.all().delete()
    confidential_membership_end(membership=membership, ends_on=TODAY(), ended_by=office[0])
    membership.refresh_from_db()
    assert membership.ends_on == TODAY()
    told = {n.recipient for n in Notification.objects.filter(kind="confidential_membership_ended")}
    assert told == {*leads, candidate}
    membership.ends_on = None
    with refused("extended only by a new approved role grant"):
        membership.save()
