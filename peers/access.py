"""Who may open the core's own records, in this one module: fetch the object, check,
answer 404 (the shape of support_requests/access.py). Views and the admin call these;
none re-implements the check.

- A notification opens only for its recipient, and only once it is due: the inbox
  shows nothing of anyone else's, nor anything sent for later.
- A role grant is decided (approved, rejected) only by an office administrator; to
  anyone else its decision addresses do not exist.
"""

from django.http import Http404
from django.utils import timezone

from peers.models import Notification, RoleGrant, User
from peers.services.role_grants import is_office_administrator


def can_open_notification(user: User, notification: Notification) -> bool:
    if notification.recipient_id != user.pk:
        return False
    return notification.due_at <= timezone.now()


def notification_open_or_404(user: User, pk: int) -> Notification:
    """The notification if it is this person's to read; otherwise 404, whether it is
    someone else's, not yet due, or does not exist."""
    notification = Notification.objects.select_related("program").filter(pk=pk).first()
    if notification is None or not can_open_notification(user, notification):
        raise Http404("No such notification")
    return notification


def role_grant_decide_or_404(user: User, pk: int) -> RoleGrant:
    """The grant, for an office administrator to decide; 404 for anyone else."""
    if not is_office_administrator(user):
        raise Http404("Not found")
    grant = RoleGrant.objects.select_related("user", "program").filter(pk=pk).first()
    if grant is None:
        raise Http404("Not found")
    return grant
