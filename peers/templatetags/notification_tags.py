"""Filters for notification templates.

Notifications are rendered with the recipient's zone active (see
`peers.services.notifications.notification_render`), so every aware datetime a template prints is
already in that zone; these filters only fix how a moment reads, always with its zone.
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

register = template.Library()

MOMENT_FORMAT = "D M j, Y, H:i T"
DAY_FORMAT = "D M j, Y"


@register.filter
def moment(value: datetime.datetime | None) -> str:
    """'Tue Dec 8, 2026, 14:30 EST' in the active (the recipient's) zone."""
    if not value:
        return ""
    return date_format(timezone.localtime(value), MOMENT_FORMAT)


@register.filter
def day(value: datetime.date | datetime.datetime | None) -> str:
    """'Tue Dec 8, 2026'; a datetime is first moved into the recipient's zone."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return date_format(value, DAY_FORMAT)
