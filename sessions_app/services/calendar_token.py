"""The private address of a person's calendar feed (kept in the core as a hash)."""

from peers.models import User
from peers.services.calendar_feeds import calendar_token_new


def calendar_token_reset(*, user: User) -> str:
    """A new feed address, returned once to be shown; the old one stops working at once."""
    return calendar_token_new(user=user)
