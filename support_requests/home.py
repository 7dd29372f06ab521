from django.urls import reverse

from peers.models import Role
from peers.registry import NavItem, TodoItem
from support_requests.models import SupportRequest


def nav(user, roles: set[str]) -> list[NavItem]:
    items = [NavItem("Peer support", reverse("support:intake"), 30)]
    if roles & {Role.PEER_SUPPORTER, Role.SUPPORT_LEAD}:
        items.append(NavItem("Support queue", reverse("support:queue"), 31))
    if Role.PEER_SUPPORTER in roles:
        items.append(NavItem("Supporter profile", reverse("support:profile"), 32))
    if roles & {Role.COORDINATOR, Role.SUPPORT_LEAD}:
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
        for r in SupportRequest.objects.filter(assigned_to=user, status=SupportRequest.Status.OFFERED).only(
            "pk", "reference"
        )
    ]
