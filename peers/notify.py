"""The core's notifications, one function per kind. Words live in
templates/notifications/<kind>.*; every time is shown in the recipient's zone. None of them
carries anything from a support request: a role grant says who, which role, where and when."""

from django.urls import reverse

from peers.models import Membership, RoleGrant, User
from peers.services.notifications import notification_create


def _grant_context(grant: RoleGrant) -> dict:
    return {"grant": grant, "decided_at": grant.approved_at or grant.rejected_at}


def _admin_link(grant: RoleGrant) -> str:
    return reverse("admin:peers_rolegrant_change", args=[grant.pk])


def role_grant_proposed(grant: RoleGrant, administrator: User) -> None:
    """Ask another office administrator to approve or reject the proposal."""
    notification_create(
        recipient=administrator,
        kind="role_grant_proposed",
        dedupe_key=f"role-grant:{grant.pk}:proposed:{administrator.pk}",
        template="role_grant_proposed",
        program=grant.program,
        link=_admin_link(grant),
        context=_grant_context(grant),
    )


def role_grant_approved(grant: RoleGrant, lead: User) -> None:
    """Tell one of the program's current support leads (or, without a lead, a coordinator)."""
    notification_create(
        recipient=lead,
        kind="role_grant_approved",
        dedupe_key=f"role-grant:{grant.pk}:approved:{lead.pk}",
        template="role_grant_approved",
        program=grant.program,
        context=_grant_context(grant),
    )


def role_grant_received(grant: RoleGrant) -> None:
    notification_create(
        recipient=grant.user,
        kind="role_grant_received",
        dedupe_key=f"role-grant:{grant.pk}:received",
        template="role_grant_received",
        program=grant.program,
        link="/",
        context=_grant_context(grant),
    )


def role_grant_rejected(grant: RoleGrant) -> None:
    notification_create(
        recipient=grant.proposed_by,
        kind="role_grant_rejected",
        dedupe_key=f"role-grant:{grant.pk}:rejected",
        template="role_grant_rejected",
        program=grant.program,
        link=_admin_link(grant),
        context=_grant_context(grant),
    )


def confidential_membership_ended(membership: Membership, person: User, *, ended_by: User) -> None:
    """Tell a lead (or the person themselves) that an office administrator ended a
    peer supporter or support lead membership early."""
    notification_create(
        recipient=person,
        kind="confidential_membership_ended",
        dedupe_key=f"membership:{membership.pk}:ended:{membership.ends_on}:{person.pk}",
        template="confidential_membership_ended",
        program=membership.program,
        context={"membership": membership, "ended_by": ended_by, "is_holder": person.pk == membership.user_id},
    )


def confidential_membership_removed(membership: Membership, person: User, *, removed_by: User) -> None:
    """Tell a lead (or the person themselves) that an office administrator deleted a peer
    supporter or support lead membership. Sent before the row goes, so it names it by value."""
    notification_create(
        recipient=person,
        kind="confidential_membership_removed",
        dedupe_key=f"membership:{membership.pk}:removed:{person.pk}",
        template="confidential_membership_removed",
        program=membership.program,
        context={
            "holder": membership.user.get_full_name(),
            "role": membership.get_role_display().lower(),
            "program": membership.program.name,
            "removed_by": removed_by,
            "is_holder": person.pk == membership.user_id,
        },
    )
