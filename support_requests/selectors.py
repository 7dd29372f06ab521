"""Reads for support pages, and the only way support data leaves the app: counts."""

from django.db.models import QuerySet

from peers.models import Role
from peers.selectors import memberships_active_for, program_ids_with_role
from support_requests.access import CONFIDENTIAL
from support_requests.models import SupportRequest


def queue_for(user) -> QuerySet[SupportRequest]:
    """A supporter's open requests (offered or accepted), and everything open in the programs
    a lead leads: reference, category, urgency and times only."""
    lead_programs = program_ids_with_role(user, Role.SUPPORT_LEAD)
    return (
        (
            SupportRequest.objects.exclude(status=SupportRequest.Status.CLOSED).filter(assigned_to=user)
            | SupportRequest.objects.exclude(status=SupportRequest.Status.CLOSED).filter(program__in=lead_programs)
        )
        .select_related("program", "assigned_to")
        .defer(*CONFIDENTIAL, "preferences")  # a list shows no content, to nobody
        .order_by("first_contact_due_at")
    )


def sees_queue(user) -> bool:
    return any(m.role in (Role.PEER_SUPPORTER, Role.SUPPORT_LEAD) for m in memberships_active_for(user))


def report_programs(user):
    from peers.models import TrainingProgram

    if user.is_superuser:
        return TrainingProgram.objects.all()
    return TrainingProgram.objects.filter(pk__in=program_ids_with_role(user, Role.COORDINATOR, Role.SUPPORT_LEAD))
