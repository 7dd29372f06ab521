from django.urls import reverse
from django.utils import timezone

from mentoring import access, selectors
from peers.models import Role
from peers.registry import NavItem, TodoItem

MENTORING_PAGE_ROLES = {Role.PEER_MENTOR, Role.FACULTY_MENTOR, Role.TRAINEE}
INTERVIEWER_ROLES = {Role.FACULTY_MENTOR, Role.COORDINATOR}


def nav(user, roles: set[str]) -> list[NavItem]:
    items = []
    if roles & MENTORING_PAGE_ROLES:
        items.append(NavItem("Mentoring", reverse("mentoring:home"), 20))
    if Role.COORDINATOR in roles:
        items.append(NavItem("Mentoring figures", reverse("mentoring:figures"), 86))
    if roles & INTERVIEWER_ROLES:
        items.append(NavItem("Interviews", reverse("mentoring:interviews"), 87))
    return items


def todos(user) -> list[TodoItem]:
    """Unanswered mentee contacts of my pair (one query, and two per pair for the
    statement). A peer mentor who has not accepted the disclosure statement is told a
    mentee waits, never who."""
    waiting = list(selectors.waiting_for_peer_mentor(user=user))
    named = {c.pair_id: access.disclosure_accepted(user=user, pair=c.pair) for c in waiting}
    return [
        TodoItem(
            f"{c.mentee.user.get_short_name() if named[c.pair_id] else 'A mentee'} is waiting for your answer",
            f"{c.get_channel_display()}, due {timezone.localtime(c.due_at):%a %b %-d %H:%M}",
            reverse("mentoring:home"),
            urgent=c.due_at <= timezone.now(),
        )
        for c in waiting
    ]
