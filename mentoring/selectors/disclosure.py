"""Reads about the disclosure and confidentiality statement."""

from mentoring.access import published, statement_to_accept
from mentoring.models import DisclosureStatement, MentorPair
from peers.models import User


def disclosure_pending(*, user: User) -> DisclosureStatement | None:
    """The current statement `user` still has to accept as a peer mentor, if any."""
    pair = (
        MentorPair.objects.filter(published())
        .of_peer_mentor(user)
        .select_related("cycle")
        .order_by("-cycle__starts_on")
        .first()
    )
    if pair is None:
        return None
    return statement_to_accept(user=user, program_id=pair.cycle.program_id)
