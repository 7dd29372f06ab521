"""Reads about applications and interviews."""

from django.db.models import QuerySet

from mentoring.models import Application, Interview, MentoringCycle
from peers.models import User


def interviews_assigned_to(*, user: User) -> QuerySet[Interview]:
    """The undecided interviews `user` (a faculty mentor or coordinator) is to score."""
    return (
        Interview.objects.assigned_to(user)
        .select_related("application__applicant", "application__cycle")
        .order_by("scheduled_at", "pk")
    )


def waitlist_of(*, cycle: MentoringCycle, entering_year: int, md_phd: bool = False) -> list[Application]:
    """The waitlisted applications of one entering year (MD/PhD peer mentors apart), in
    the order a freed place would be offered: best interview total, then the earlier application."""
    waitlisted = (
        Application.objects.filter(
            cycle=cycle, entering_year=entering_year, is_md_phd=md_phd, status=Application.Status.WAITLISTED
        )
        .select_related("interview", "applicant")
        .order_by("submitted_at", "pk")
    )
    return sorted(waitlisted, key=lambda a: -(a.interview.total or 0))


def applications_of(*, user: User, cycle: MentoringCycle | None) -> QuerySet[Application]:
    """The applications `user` made for `cycle`, as they see them on the apply page."""
    return Application.objects.filter(applicant=user, cycle=cycle).select_related("cycle", "interview")
