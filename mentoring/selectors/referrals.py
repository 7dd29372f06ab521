"""Reads about referrals."""

from django.db.models import QuerySet

from mentoring import access
from mentoring.models import MentorReferral
from peers.models import User


def referrals_for(*, user: User) -> QuerySet[MentorReferral]:
    """The referrals `user` made or received, newest first, in one query (no notes:
    those are read, and logged, on each referral's page)."""
    return (
        MentorReferral.objects.filter(access.referral_seen_by(user))
        .select_related("pair__cycle__program", "mentor", "acknowledged_by")
        .defer("note", "outcome_note")
        .order_by("-created_at", "-pk")
    )
