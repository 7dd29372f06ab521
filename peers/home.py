"""What the core contributes to the home page and the navigation."""

from allauth.mfa.models import Authenticator
from django.urls import reverse

from peers import registry
from peers.models import Role
from peers.registry import NavItem, TodoItem
from peers.selectors import (
    inbox_unread_count,
    notifications_failed_count,
    program_ids_with_role,
    roles_of,
    user_requires_mfa,
)
from peers.services.role_grants import is_office_administrator


def core_todos(user) -> list[TodoItem]:
    items: list[TodoItem] = []
    unread = inbox_unread_count(user)
    if unread:
        items.append(
            TodoItem(
                title=f"{unread} unread notification{'s' if unread != 1 else ''}",
                detail="Reminders and messages from your programs.",
                url=reverse("inbox"),
            )
        )
    if not user_requires_mfa(user) and not Authenticator.objects.filter(user=user).exists():
        items.append(
            TodoItem(
                title="Protect your account with two-factor authentication",
                detail="Optional for your role, and a good idea.",
                url=reverse("mfa_index"),
            )
        )
    failed = notifications_failed_count(user) if user.is_staff else 0
    if failed:
        items.append(
            TodoItem(
                title=f"{failed} notification{'s' if failed != 1 else ''} could not be delivered",
                detail="Every attempt failed: check the address or the mail server, then try again.",
                url=reverse("admin:peers_notification_changelist") + "?failed_at__isempty=0",
                urgent=True,
            )
        )
    if user.is_staff:
        items.append(
            TodoItem(
                title="Open the coordinators' site",
                detail="Programs, rosters, training records and notifications.",
                url=reverse("admin:index"),
            )
        )
    return items


def core_nav(user, roles: set[str]) -> list[NavItem]:
    items = [NavItem("My PEERS", reverse("home"), 0), NavItem("Inbox", reverse("inbox"), 90)]
    if user.is_staff:
        items.append(NavItem("Coordinators", reverse("admin:index"), 95))
    if figures := _figures_url(user, roles):
        items.append(NavItem("Figures", figures, 80))
    return items


def _figures_url(user, roles: set[str]) -> str:
    """The office's figures for an office administrator, else the first coordinated program's."""
    if is_office_administrator(user):
        return reverse("figures:office")
    if Role.COORDINATOR not in roles:
        return ""
    return reverse("figures:program", args=[min(program_ids_with_role(user, Role.COORDINATOR))])


def nav_items(user) -> list[NavItem]:
    roles = roles_of(user)
    items = [item for provider in registry.nav_providers for item in provider(user, roles)]
    return sorted(items, key=lambda item: item.order)
