"""Demo peer supporters, office hours and a few requests (invented). Idempotent."""

import datetime

from django.utils import timezone

from peers.models import Membership, Role, TrainingProgram, User
from support_requests.forms import SCREENING_QUESTIONS
from support_requests.models import (
    CareerStage,
    Department,
    OfficeHours,
    Outcome,
    ResourceTranslation,
    SupporterProfile,
    SupportFeedback,
    SupportRequest,
)
from support_requests.services import message_add, request_create

SPECIALTIES = [
    "Internal medicine",
    "Emergency medicine",
    "Surgery",
    "Psychiatry",
    "Pediatrics",
    "Family medicine",
    "Anesthesia",
]


def seed_support_demo(stdout) -> None:
    program = TrainingProgram.objects.filter(name="Internal Medicine Residency").first()
    if program is None or SupporterProfile.objects.filter(program=program).exists():
        return
    departments = [
        Department.objects.get_or_create(institution=program.institution, name=name)[0] for name in SPECIALTIES
    ]
    supporters = Membership.objects.filter(program=program, role=Role.PEER_SUPPORTER).select_related("user")
    for index, membership in enumerate(supporters.order_by("user__email")):
        department = departments[(index + 2) % len(departments)]
        SupporterProfile.objects.create(
            user=membership.user,
            program=program,
            capacity=3,
            specialty=SPECIALTIES[index % len(SPECIALTIES)],
            department=department.name,
            home_department=department,
            career_stage=[CareerStage.RESIDENT, CareerStage.FELLOW, CareerStage.EARLY][index % 3],
            languages=["English", "French"] if index % 2 else ["English"],
            disclosed_identities=["parent"] if index % 3 == 0 else [],
            identity_consent_at=timezone.now() if index % 3 == 0 else None,
        )
    OfficeHours.objects.create(
        program=program,
        kind=OfficeHours.Kind.WALK_IN,
        weekday=2,
        starts_at=datetime.time(12),
        ends_at=datetime.time(13),
        location="Wellness Hub, B-204",
    )
    OfficeHours.objects.create(
        program=program,
        kind=OfficeHours.Kind.SAME_DAY,
        weekday=4,
        starts_at=datetime.time(16),
        ends_at=datetime.time(18),
        location="By phone",
    )
    request_create(
        program=program,
        requester=None,
        screening=dict.fromkeys(SCREENING_QUESTIONS, False),
        reason="adverse_event",
        description="A patient I was caring for died unexpectedly overnight and I keep replaying it.",
        contact_method="email",
        contact_details="pgy2.demo@lakeshore-med.example",
        urgency="this_week",
        preferences={"career_stage": "resident"},
    )
    request_create(
        program=program,
        requester=None,
        screening={**dict.fromkeys(SCREENING_QUESTIONS, False), "substance": True},
    )
    _seed_closed_months(program)
    _seed_requester_side(program)
    stdout.write(
        "Peer support demo: departments, supporter profiles, office hours, resources in French, "
        "three requests (one the trainee's, under My requests), two closed months with feedback."
    )


def _seed_requester_side(program: TrainingProgram) -> None:
    """The trainee's own request (signed in: "My requests"), French resources, and feedback."""
    ResourceTranslation.objects.get_or_create(
        institution=program.institution,
        language="fr",
        defaults={
            "language_name": "Français",
            "crisis_resources": "En danger immédiat : composez le 911 ou allez aux urgences les plus proches.\n"
            "Ligne de crise de Lakeshore (24 h/24) : 555-0199",
        },
    )
    trainee = User.objects.filter(email="trainee@lakeshore-med.example").first()
    if trainee is not None:
        request = request_create(
            program=program,
            requester=trainee,
            screening=dict.fromkeys(SCREENING_QUESTIONS, False),
            reason="life_stressor",
            description="My grandmother died during my exam block.",
            contact_method="email",
            contact_details=trainee.email,
            urgency="this_week",
        )
        message_add(request=request, text="I'm free after 5 pm most days.")
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    SupportFeedback.objects.bulk_create(
        SupportFeedback(program=program, month=last_month, helpful=helpful, comment=comment)
        for helpful, comment in [
            (3, "Felt heard."),
            (3, "Kind and quick."),
            (3, ""),
            (2, "Helpful."),
            (3, "Thank you."),
        ]
        + [(3, "Glad it exists.")]
    )


# Invented, already closed and de-identified: enough for the report to show two months.
PAST_MONTHS = [
    {"burnout": 6, "adverse_event": 5, "conflict": 2, "life_stressor": 1},
    {"burnout": 7, "complaint": 3, "work_change": 5, "discrimination": 1},
]


def _seed_closed_months(program: TrainingProgram) -> None:
    month = timezone.localdate().replace(day=1)
    rows = []
    for back, reasons in enumerate(PAST_MONTHS, start=1):
        first = month
        for _ in range(back):
            first = (first - datetime.timedelta(days=1)).replace(day=1)
        start = timezone.make_aware(datetime.datetime.combine(first.replace(day=3), datetime.time(10)))
        for n, reason in enumerate(r for r, count in reasons.items() for _ in range(count)):
            created = start + datetime.timedelta(days=n % 20, hours=n % 5)
            rows.append(
                SupportRequest(
                    program=program,
                    reason=reason,
                    status=SupportRequest.Status.CLOSED,
                    outcome=Outcome.SUPPORTED,
                    created_at=created,
                    first_contact_due_at=created + datetime.timedelta(hours=24),
                    overdue_at=created + datetime.timedelta(hours=48),
                    first_contact_at=created + datetime.timedelta(hours=3 + n % 7),
                    closed_at=created + datetime.timedelta(days=5),
                )
            )
    SupportRequest.objects.bulk_create(rows)
