"""Reads for support pages and services, and the only way support data leaves the app: counts."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from peers.models import AccessLog, Membership, Role, TrainingKind, TrainingProgram, TrainingRecord, User
from peers.selectors import memberships_active_for, program_ids_with_role
from support_requests.access import CONFIDENTIAL, OBJECT_TYPE
from support_requests.models import (
    RequesterMessage,
    SupporterAway,
    SupporterProfile,
    SupportNote,
    SupportRequest,
    department_key,
)
from support_requests.preferences import preference_matches
from support_requests.receivers import people_with_role

SUPPORT_ROLES = frozenset({Role.PEER_SUPPORTER, Role.SUPPORT_LEAD})  # those with a queue
REPORT_ROLES = frozenset({Role.COORDINATOR, Role.SUPPORT_LEAD})  # those who see the figures


def queue_for(user) -> QuerySet[SupportRequest]:
    """A supporter's open requests (offered or accepted), and everything open in the programs
    a lead leads: reference, category, urgency and times only."""
    lead_programs = program_ids_with_role(user, Role.SUPPORT_LEAD)
    return (
        SupportRequest.objects.open()
        .filter(Q(assigned_to=user) | Q(program__in=lead_programs))
        .select_related("program", "assigned_to")
        .defer(*CONFIDENTIAL, "preferences")  # a list shows no content, to nobody
        .order_by("first_contact_due_at", "pk")  # pk: pages never shuffle ties
    )


def sees_queue(user) -> bool:
    return any(m.role in SUPPORT_ROLES for m in memberships_active_for(user))


def report_programs(user) -> QuerySet[TrainingProgram]:
    if user.is_superuser:
        return TrainingProgram.objects.all()
    return TrainingProgram.objects.filter(pk__in=program_ids_with_role(user, *REPORT_ROLES))


def request_notes(request: SupportRequest) -> QuerySet[SupportNote] | list:
    """The notes, where the program keeps any."""
    if not request.program.support_settings.notes_allowed:
        return []
    return request.notes.select_related("author")


def request_messages(request: SupportRequest) -> QuerySet[RequesterMessage]:
    """The requester's messages: call only after a full read was allowed (access.py)."""
    return request.messages.all()


def requests_of(user) -> QuerySet[SupportRequest]:
    """A signed-in requester's own requests ("My requests"): reference, status and times."""
    return (
        SupportRequest.objects.filter(requester=user)
        .select_related("program")
        .defer(*CONFIDENTIAL, "preferences")
        .order_by("-created_at")
    )


def request_reads(request: SupportRequest) -> QuerySet[AccessLog]:
    """Who read the request, and who was refused: read on the audit connection, where the log is written."""
    return (
        AccessLog.objects.using("audit")
        .filter(object_type=OBJECT_TYPE, object_id=str(request.pk))
        .select_related("actor")[:50]
    )


# --- who is told ---------------------------------------------------------------------------------


def leads_or_coordinators(program: TrainingProgram) -> set[User]:
    """The support leads; a program without one falls back to its coordinators (and, in
    support_requests.notify, to its institution's office: support_requests.receivers)."""
    return people_with_role(program, Role.SUPPORT_LEAD) or people_with_role(program, Role.COORDINATOR)


def leads_and_coordinators(program: TrainingProgram) -> set[User]:
    return people_with_role(program, Role.SUPPORT_LEAD) | people_with_role(program, Role.COORDINATOR)


# --- matching ------------------------------------------------------------------------------------


@dataclass
class Suggestion:
    profile: SupporterProfile
    score: int
    reasons: list[str]


def eligible_supporters(request: SupportRequest) -> list[SupporterProfile]:
    """Active, trained, on the program's roster, not away, below capacity, never one who
    declined this request, evaluates the requester, or is the requester."""
    today = timezone.localdate()
    roster = Membership.objects.active().filter(program=request.program_id, role=Role.PEER_SUPPORTER)
    trained = TrainingRecord.objects.filter(
        user=OuterRef("user"), kind=TrainingKind.PEER_SUPPORTER, completed_on__lte=today
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    queryset = (
        SupporterProfile.objects.filter(
            is_active=True, program=request.program_id, user__is_active=True, user__memberships__in=roster
        )
        .filter(Exists(trained))
        .exclude(Exists(SupporterAway.objects.filter(profile=OuterRef("pk"), starts_on__lte=today, ends_on__gte=today)))
        .exclude(user__in=request.declines.values("supporter"))
        .annotate(
            open_count=Count(
                "user__support_assignments",
                filter=Q(user__support_assignments__status__in=SupportRequest.HELD),
                distinct=True,
            )
        )
        .select_related("user", "home_department")
        .distinct()
    )
    if request.requester_id:
        queryset = queryset.exclude(evaluates=request.requester_id).exclude(user=request.requester_id)
    return [profile for profile in queryset if profile.open_count < profile.capacity]


def supporter_suggestions(request: SupportRequest) -> list[Suggestion]:
    """Ranked suggestions with their reasons, never one from the requester's department
    when they asked for that. Score: specialty 3, career stage 2, a shared identity the
    supporter consented to disclose 2, a common language 1, and 1 for each free place."""
    preferences = request.preferences or {}
    suggestions = []
    for profile in eligible_supporters(request):
        if shares_department(profile, request):
            continue
        suggestions.append(_suggestion(profile, preferences))
    return sorted(suggestions, key=lambda s: (-s.score, s.profile.pk))


def shares_department(profile: SupporterProfile, request: SupportRequest) -> bool:
    """The supporter is of the department the requester picked; or, for a request made
    before departments were a list, of the department they typed (compared by
    models.department_key, against the supporter's department in the list and as typed)."""
    picked = request.department_picked
    if picked and str(profile.home_department_id) == picked:
        return True
    typed = department_key(request.requester_department)
    listed = profile.home_department.name if profile.home_department else ""
    return bool(typed) and typed in {department_key(profile.department), department_key(listed)}


def _suggestion(profile: SupporterProfile, preferences: dict) -> Suggestion:
    score, reasons = 0, []
    matches = preference_matches(preferences, profile)
    if matches.get("specialty"):
        score, reasons = score + 3, [*reasons, f"same specialty ({profile.specialty})"]
    if matches.get("career_stage"):
        score, reasons = score + 2, [*reasons, f"career stage: {profile.get_career_stage_display().lower()}"]
    if matches.get("shared_identity"):
        score, reasons = score + 2, [*reasons, "shares the identity asked for"]
    if matches.get("language"):
        score, reasons = score + 1, [*reasons, f"speaks {preferences['language'].strip().lower()}"]
    free = profile.capacity - profile.open_count
    reasons.append(f"{free} free place{'s' if free != 1 else ''}")
    return Suggestion(profile, score + free, reasons)
