from django.urls import reverse

from peers.models import Role
from peers.registry import NavItem, TodoItem
from support_requests.models import SupportRequest
from support_requests.selectors import REPORT_ROLES, SUPPORT_ROLES


def nav(user, roles: set[str]) -> list[NavItem]:
    items = [NavItem("Peer support", reverse("support:intake"), 30)]
    if roles & SUPPORT_ROLES:
        items.append(NavItem("Support queue", reverse("support:queue"), 31))
    if Role.PEER_SUPPORTER in roles:
        items.append(NavItem("Supporter profile", reverse("support:profile"), 32))
    if roles & REPORT_ROLES:
        items.append(NavItem("Support figures", reverse("support:report"), 85))
    return items


def todos(user) -> list[TodoItem]:
    """Offers waiting for the supporter's answer (one query; reference codes only)."""
    return [
        TodoItem(
            f"Support request {r.reference} is offered to you",
            "Accept or decline it.",
            reverse("support:detail", args=[r.pk]),
            urgent=True,
        )
        for r in SupportRequest.objects.offered_to(user).only("pk", "reference")
    ]
