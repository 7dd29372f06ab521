from django.urls import reverse
from django.utils import timezone

from peers.models import Role
from peers.registry import NavItem, TodoItem, time_left
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
    """Offers waiting for the supporter's answer, and requests they accepted whose first
    contact is still to make, each with its deadline (one query; reference codes only)."""
    now = timezone.now()
    mine = SupportRequest.objects.filter(assigned_to=user, first_contact_at=None).filter(
        status__in=(SupportRequest.Status.OFFERED, SupportRequest.Status.ASSIGNED)
    )
    return [_todo(r, now) for r in mine.only("pk", "reference", "status", "offer_expires_at", "first_contact_due_at")]


def _todo(r: SupportRequest, now) -> TodoItem:
    url = reverse("support:detail", args=[r.pk])
    if r.status == SupportRequest.Status.OFFERED:
        due = r.offer_expires_at
        detail = f"Accept or decline it by {timezone.localtime(due):%a %b %-d %H:%M}: {time_left(due, now)}."
        return TodoItem(f"Support request {r.reference} is offered to you", detail, url, urgent=True, due=due)
    due = r.first_contact_due_at
    detail = f"Contact them by {timezone.localtime(due):%a %b %-d %H:%M}: {time_left(due, now)}, then record it."
    return TodoItem(f"Make first contact for request {r.reference}", detail, url, urgent=True, due=due)
