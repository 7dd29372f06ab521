"""Reads about the disclosure and confidentiality statement."""

from django.db.models import Exists, OuterRef, Subquery

from mentoring.access import published
from mentoring.models import DisclosureAcceptance, DisclosureStatement, MentorPair
from peers.models import User


def disclosure_pending(*, user: User) -> DisclosureStatement | None:
    """The current statement `user` still has to accept as a peer mentor, if any: the
    latest version of the program of their newest published pair, unless accepted
    (access.statement_to_accept, read in one query: every mentoring page asks first)."""
    newest_program = (
        MentorPair.objects.filter(published())
        .of_peer_mentor(user)
        .order_by("-cycle__starts_on")
        .values("cycle__program_id")[:1]
    )
    statement = (
        DisclosureStatement.objects.filter(program=Subquery(newest_program))
        .annotate(accepted=Exists(DisclosureAcceptance.objects.filter(statement=OuterRef("pk"), user=user)))
        .order_by("-version")
        .first()
    )
    return None if statement is None or statement.accepted else statement
