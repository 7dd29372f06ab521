"""A person's private calendar feed address. The database keeps only its hash (like the
support status links), so the address is shown once, when it is made."""

from peers.models import User
from peers.models.users import calendar_token_hash, new_calendar_token


def calendar_token_new(*, user: User) -> str:
    """A new feed address (returned once, to be shown); any old one stops working at once."""
    token = new_calendar_token()
    user.calendar_token_hash = calendar_token_hash(token)
    user.save(update_fields=["calendar_token_hash"])
    return token


def calendar_tokens_revoke(*, users) -> int:
    """Revoke the feeds of `users` (a queryset): their addresses answer 404 from now on.
    Returns how many feeds were revoked; a person can make a new one on their page."""
    return users.filter(calendar_token_hash__isnull=False).update(calendar_token_hash=None)


def calendar_feed_owner(token: str) -> User | None:
    """The active person whose feed address carries `token`, if any."""
    return User.objects.filter(calendar_token_hash=calendar_token_hash(token), is_active=True).first()
