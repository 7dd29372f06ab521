"""The private address of a person's calendar feed."""

from peers.models import User
from peers.models.users import _new_calendar_token


def calendar_token_reset(*, user: User) -> str:
    """A new feed address; the old one stops working at once."""
    user.calendar_token = _new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token
