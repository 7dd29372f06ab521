"""Reads the core's pages and permissions need, each in a fixed number of queries."""

import datetime

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from peers import registry
from peers.models import Membership, Notification, Role, TrainingProgram, User
from peers.models.programs import MFA_REQUIRED_ROLES
from peers.precompiled import Precompiled

_CACHE_ATTR = "_peers_active_memberships"
_UNREAD_ATTR = "_peers_unread_count"


def _memberships(*, user_id: int, today: datetime.date) -> QuerySet[Membership]:
    return (
        Membership.objects.active(on=today)
        .filter(user=user_id)
        .select_related("program__institution", "learning_community")
        .order_by("program__name", "role")
    )


# Every signed-in request reads these two: compiled once a process (peers/precompiled.py).
_memberships_compiled = Precompiled(_memberships, user_id=int, today=datetime.date)


def _unread(*, user_id: int, now: datetime.datetime) -> QuerySet[Notification]:
    """The count of `inbox_for(user)` unread, as one row (none when there are none)."""
    unread = Notification.objects.filter(recipient=user_id, due_at__lte=now, read_at__isnull=True)
    return unread.order_by().values("recipient").annotate(unread=Count("pk")).values_list("unread", flat=True)


_unread_compiled = Precompiled(_unread, user_id=int, now=datetime.datetime)


def memberships_active_for(user: User) -> list[Membership]:
    """The user's active memberships with their programs, cached on the user object
    for the length of the request (one query)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _memberships_compiled(user_id=user.pk, today=timezone.localdate())
        setattr(user, _CACHE_ATTR, cached)
    return cached


def roles_of(user: User) -> set[str]:
    return {m.role for m in memberships_active_for(user)}


def program_ids_with_role(user: User, *roles: str) -> set[int]:
    return {m.program_id for m in memberships_active_for(user) if m.role in roles}


def programs_coordinated_by(user: User) -> QuerySet[TrainingProgram]:
    if user.is_superuser:
        return TrainingProgram.objects.all()
    return TrainingProgram.objects.filter(pk__in=program_ids_with_role(user, Role.COORDINATOR))


def user_is_privileged(user: User) -> bool:
    """Staff, the office, and anyone whose role opens other people's information."""
    return user.is_authenticated and (user.is_staff or user.is_superuser or bool(roles_of(user) & MFA_REQUIRED_ROLES))


def user_requires_mfa(user: User) -> bool:
    return user.is_authenticated and (user.is_staff or bool(roles_of(user) & MFA_REQUIRED_ROLES))


def inbox_for(user: User) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(recipient=user, due_at__lte=timezone.now())
        .select_related("program")
        .order_by("-due_at", "-pk")
    )


def inbox_unread_count(user: User) -> int:
    """Cached on the user object for the request, like the memberships: the home page's
    to-do list and the navigation's badge ask for it once between them. (No view marks
    notifications read after reading the count: the inbox marks, then renders.)"""
    cached = getattr(user, _UNREAD_ATTR, None)
    if cached is None:
        cached = next(iter(_unread_compiled(user_id=user.pk, now=timezone.now())), 0)
        setattr(user, _UNREAD_ATTR, cached)
    return cached


def notifications_failed_count(user: User) -> int:
    """Failed notifications the person can retry in the admin: their programs' (every
    program's for the office), without the confidential kinds the admin never lists."""
    rows = Notification.objects.filter(failed_at__isnull=False)
    if not user.is_superuser:
        rows = rows.filter(program__in=programs_coordinated_by(user))
    for prefix in registry.confidential_notification_prefixes:
        rows = rows.exclude(kind__startswith=prefix)
    return rows.count()


def users_in_programs(program_ids) -> QuerySet[User]:
    return User.objects.filter(memberships__program__in=program_ids).distinct()


def programs_with_people() -> QuerySet[TrainingProgram]:
    return TrainingProgram.objects.select_related("institution").prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.active().select_related("user"))
    )
