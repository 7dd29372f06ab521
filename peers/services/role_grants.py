"""Granting the confidential roles (peer supporter, support lead) takes two office
administrators: one proposes, another approves. Nobody proposes or approves a grant to
themselves. On approval the program's current support leads are told, and the grantee too.

The database holds the same rules (CHECKs on RoleGrant, and a trigger refusing a
confidential-role membership without an approved grant), so a forgotten check here is
refused there."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from peers import notify
from peers.models import GrantStatus, Membership, Role, RoleGrant, TrainingProgram, User
from peers.models.programs import CONFIDENTIAL_ROLES


def is_office_administrator(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def _require_office_administrator(user: User) -> None:
    if not is_office_administrator(user):
        raise ValidationError("Only an office administrator of the well-being office can do this.")


def role_grant_check(
    *,
    proposer: User,
    user: User,
    program: TrainingProgram,
    role: str,
    reason: str,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> RoleGrant:
    """The proposal as it would be saved, validated; raises ValidationError. The admin's
    form calls it to show the problems next to the fields."""
    _require_office_administrator(proposer)
    if role not in CONFIDENTIAL_ROLES:
        raise ValidationError({"role": "Only the peer supporter and support lead roles are granted this way."})
    if user.pk == proposer.pk:
        raise ValidationError("Nobody proposes a role for themselves: ask another office administrator.")
    grant = RoleGrant(
        user=user,
        program=program,
        role=role,
        reason=(reason or "").strip(),
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
        proposed_by=proposer,
        proposed_at=timezone.now(),
    )
    grant.full_clean()
    return grant


def role_grant_propose(
    *,
    proposer: User,
    user: User,
    program: TrainingProgram,
    role: str,
    reason: str,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> RoleGrant:
    """Record the proposal and ask the other office administrators to review it."""
    grant = role_grant_check(
        proposer=proposer, user=user, program=program, role=role, reason=reason, starts_on=starts_on, ends_on=ends_on
    )
    try:
        with transaction.atomic():
            grant.save()
    except IntegrityError:  # a concurrent proposal for the same person, program and role
        raise ValidationError("This person already has a proposal for this role waiting for approval.") from None
    for administrator in _office_administrators().exclude(pk__in=[proposer.pk, user.pk]):
        notify.role_grant_proposed(grant, administrator)
    return grant


def role_grant_approve(*, grant: RoleGrant, approver: User) -> Membership:
    """Approve a proposal and give the role.

    1. Lock the grant's row, so that of two approvals at once the second waits.
    2. Re-check, under the lock, that it is still waiting, and that the approver is another
       office administrator than the proposer, and not the grantee.
    3. Mark it approved, then create (or renew) the membership that points to it: the
       database accepts a confidential-role membership only with an approved grant.
    4. Tell the program's current support leads (its coordinators if it has none) and the grantee.
    """
    _require_office_administrator(approver)
    with transaction.atomic():
        locked = RoleGrant.objects.select_for_update().select_related("user", "program", "proposed_by").get(pk=grant.pk)
        _require_waiting(locked)
        if approver.pk == locked.proposed_by_id:
            raise ValidationError("You proposed this grant, so another office administrator must approve it.")
        if approver.pk == locked.user_id:
            raise ValidationError("Nobody approves a role for themselves: ask another office administrator.")
        leads = list(_people_to_tell(locked))
        locked.status, locked.approved_by, locked.approved_at = GrantStatus.APPROVED, approver, timezone.now()
        locked.full_clean()
        locked.save()
        membership = _membership_from(locked)
        for lead in leads:
            notify.role_grant_approved(locked, lead)
        notify.role_grant_received(locked)
    _copy_decision(locked, grant)
    return membership


def role_grant_reject(*, grant: RoleGrant, rejecter: User) -> RoleGrant:
    """Turn a proposal down (the proposer may also withdraw their own); nothing is granted."""
    _require_office_administrator(rejecter)
    with transaction.atomic():
        locked = RoleGrant.objects.select_for_update().select_related("proposed_by", "user", "program").get(pk=grant.pk)
        _require_waiting(locked)
        locked.status, locked.rejected_by, locked.rejected_at = GrantStatus.REJECTED, rejecter, timezone.now()
        locked.full_clean()
        locked.save()
        if rejecter.pk != locked.proposed_by_id:
            notify.role_grant_rejected(locked)
    _copy_decision(locked, grant)
    return locked


def confidential_membership_end(*, membership: Membership, ends_on: datetime.date, ended_by: User) -> Membership:
    """End a peer supporter or support lead membership early (revoke it), and tell the
    program's support leads and the person. Ending is never widened here: a later end than
    the current one needs a new grant."""
    _require_office_administrator(ended_by)
    if membership.role not in CONFIDENTIAL_ROLES:
        raise ValidationError("Only peer supporter and support lead memberships are ended this way.")
    if membership.ends_on is not None and ends_on > membership.ends_on:
        raise ValidationError({"ends_on": "A later end date needs a new role grant, approved by two administrators."})
    membership.ends_on = ends_on
    membership.full_clean()
    membership.save(update_fields=["ends_on"])
    for person in {*_people_to_tell(membership), membership.user}:
        notify.confidential_membership_ended(membership, person, ended_by=ended_by)
    return membership


def confidential_membership_remove(*, membership: Membership, removed_by: User) -> None:
    """Delete a peer supporter or support lead membership (the office's admin), telling the
    program's support leads and the person. The grant stays, as the record of the access."""
    _require_office_administrator(removed_by)
    if membership.role not in CONFIDENTIAL_ROLES:
        raise ValidationError("Only peer supporter and support lead memberships are removed this way.")
    with transaction.atomic():
        for person in {*_people_to_tell(membership), membership.user}:
            notify.confidential_membership_removed(membership, person, removed_by=removed_by)
        membership.delete()


def _require_waiting(grant: RoleGrant) -> None:
    if grant.status != GrantStatus.PROPOSED:
        raise ValidationError(f"This grant was already {grant.get_status_display().lower()}; nothing changed.")


def _membership_from(grant: RoleGrant) -> Membership:
    membership = (
        Membership.objects.select_for_update().filter(user=grant.user, program=grant.program, role=grant.role).first()
    )
    if membership is None:
        membership = Membership(user=grant.user, program=grant.program, role=grant.role)
    membership.starts_on, membership.ends_on, membership.grant = grant.starts_on, grant.ends_on, grant
    membership.full_clean()
    membership.save()
    return membership


def _people_to_tell(obj: RoleGrant | Membership):
    """The program's current support leads other than the person concerned; without any,
    its coordinators, so that nobody is granted the role unnoticed."""
    others = Membership.objects.active().filter(program=obj.program_id).exclude(user=obj.user_id)
    leads = User.objects.filter(pk__in=others.filter(role=Role.SUPPORT_LEAD).values("user"), is_active=True)
    if leads.exists():
        return leads
    return User.objects.filter(pk__in=others.filter(role=Role.COORDINATOR).values("user"), is_active=True)


def _office_administrators():
    return User.objects.filter(is_superuser=True, is_active=True).order_by("pk")


DECISION_FIELDS = ("status", "approved_by", "approved_at", "rejected_by", "rejected_at")


def _copy_decision(source: RoleGrant, target: RoleGrant) -> None:
    for field in DECISION_FIELDS:
        setattr(target, field, getattr(source, field))
