from django.utils.functional import SimpleLazyObject

from peers.adapters import AccountAdapter
from peers.home import nav_items
from peers.selectors import inbox_unread_count


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_unread": 0, "signup_open": SimpleLazyObject(lambda: _signup_open(request))}
    return {
        "nav_items": SimpleLazyObject(lambda: nav_items(user)),
        "nav_unread": SimpleLazyObject(lambda: inbox_unread_count(user)),
    }


def _signup_open(request) -> bool:
    return AccountAdapter(request).is_open_for_signup(request)
