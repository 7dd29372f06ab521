"""Permissions as predicates over program memberships (django-rules).

A coordinator is a staff user with an active coordinator membership. They may see
and change what belongs to the programs they coordinate, nothing else; the
superuser (the well-being office's administrator) sees everything.
"""

import rules

from peers.models import (
    Institution,
    LearningCommunity,
    Membership,
    Notification,
    Role,
    TrainingKind,
    TrainingProgram,
    TrainingRecord,
    User,
)

__all__ = ["add_model_perms", "coordinates", "is_coordinator"]
from peers.models.programs import OFFICE_GRANTED_ROLES
from peers.selectors import program_ids_with_role


def coordinated_program_ids(user) -> set[int]:
    return program_ids_with_role(user, Role.COORDINATOR)


def _program_ids_of(obj) -> set[int]:
    """The programs an object belongs to. Apps' models expose `program_id`, or a
    `session` (or other parent) that does; the core needs to know none of them."""
    if isinstance(obj, TrainingProgram):
        return {obj.pk}
    if isinstance(obj, Institution):
        return set(obj.programs.values_list("pk", flat=True))
    if isinstance(obj, User):
        return set(obj.memberships.values_list("program_id", flat=True))
    if isinstance(obj, TrainingRecord):
        return set(obj.user.memberships.values_list("program_id", flat=True))
    if getattr(obj, "program_id", None):
        return {obj.program_id}
    for parent in getattr(obj, "program_parents", ()):
        return _program_ids_of(getattr(obj, parent))
    return set()


@rules.predicate
def is_coordinator(user) -> bool:
    return bool(user.is_authenticated and user.is_staff and coordinated_program_ids(user))


@rules.predicate
def coordinates(user, obj) -> bool:
    """With no object: coordinates some program. With one: it belongs to a program they coordinate."""
    if not is_coordinator(user):
        return False
    if obj is None:
        return True
    return bool(_program_ids_of(obj) & coordinated_program_ids(user))


def add_model_perms(model, *, view=None, add=None, change=None, delete=None) -> None:
    label = model._meta.app_label
    name = model._meta.model_name
    for action, predicate in (("view", view), ("add", add), ("change", change), ("delete", delete)):
        if predicate is not None:
            rules.add_perm(f"{label}.{action}_{name}", predicate)


@rules.predicate
def is_office_granted(user, obj) -> bool:
    """A membership or training record that only the well-being office may change."""
    if isinstance(obj, Membership):
        return obj.role in OFFICE_GRANTED_ROLES
    if isinstance(obj, TrainingRecord):
        return obj.kind == TrainingKind.PEER_SUPPORTER or obj.user_id == user.pk
    return False


@rules.predicate
def is_managed_elsewhere(user, obj) -> bool:
    """Staff and superusers are managed by the well-being office, not by a coordinator."""
    return isinstance(obj, User) and obj.pk != user.pk and (obj.is_staff or obj.is_superuser)


rules.add_perm("peers", is_coordinator)
add_model_perms(LearningCommunity, view=coordinates, add=is_coordinator, change=coordinates, delete=coordinates)
for _model in (Membership, TrainingRecord):
    add_model_perms(
        _model,
        view=coordinates,
        add=is_coordinator,
        change=coordinates & ~is_office_granted,
        delete=coordinates & ~is_office_granted,
    )
# People may belong to several programs: coordinators end memberships, they do not delete people.
add_model_perms(User, view=coordinates, add=is_coordinator, change=coordinates & ~is_managed_elsewhere)
add_model_perms(TrainingProgram, view=coordinates, change=coordinates)
add_model_perms(Institution, view=coordinates)
add_model_perms(Notification, view=coordinates)
