"""Reads about mentee contacts."""

from django.db.models import QuerySet

from mentoring.access import mentored_by, published
from mentoring.models import Contact, MentorPair
from peers.models import User


def open_contacts_for(*, user: User) -> QuerySet[Contact]:
    """Unanswered contacts of the pairs `user` mentors. Content only for the pair's mentors."""
    return (
        Contact.objects.unanswered()
        .filter(mentored_by(user, "pair__"))
        .select_related("mentee__user", "pair")
        .order_by("due_at")
    )


def waiting_for_peer_mentor(*, user: User) -> QuerySet[Contact]:
    """Unanswered contacts of the pairs `user` is a peer mentor of (their to-do list)."""
    return (
        Contact.objects.unanswered()
        .filter(pair__in=MentorPair.objects.filter(published()).of_peer_mentor(user))
        .select_related("mentee__user", "pair__cycle")
    )


def my_contacts(*, user: User) -> QuerySet[Contact]:
    return Contact.objects.filter(mentee__user=user).select_related("answered_by").order_by("-received_at")[:20]
