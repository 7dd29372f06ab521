"""Reads about applications and interviews."""

from django.db.models import QuerySet

from mentoring.models import Interview
from peers.models import User


def interviews_assigned_to(*, user: User) -> QuerySet[Interview]:
    """The undecided interviews `user` (a faculty mentor or coordinator) is to score."""
    return (
        Interview.objects.assigned_to(user)
        .select_related("application__applicant", "application__cycle")
        .order_by("scheduled_at", "pk")
    )
