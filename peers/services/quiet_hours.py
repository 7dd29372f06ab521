"""Quiet hours: when a notice that can wait reaches a person.

Each person has quiet hours in their own zone (21:00 to 07:00 unless they or a
coordinator change them; both empty means none). A notification created with
`quiet_hours=True` that would fall due inside them is due at their end instead. Urgent
notices (an urgent or screened-out support request, a crisis) never pass this way:
their callers do not ask for it.
"""

import datetime
import zoneinfo

from peers.models import User


def quiet_hours_end(person: User, moment: datetime.datetime) -> datetime.datetime:
    """`moment`, or the end of the person's quiet hours when it falls inside them."""
    start, end = person.quiet_from, person.quiet_until
    if start is None or end is None or start == end:
        return moment
    zone = zoneinfo.ZoneInfo(person.time_zone)
    local = moment.astimezone(zone)
    at = local.time()
    if start < end:  # within one day, e.g. 13:00 to 14:00
        inside, day = start <= at < end, local.date()
    elif at >= start:  # overnight, before midnight: quiet until tomorrow's end
        inside, day = True, local.date() + datetime.timedelta(days=1)
    else:  # overnight, after midnight
        inside, day = at < end, local.date()
    if not inside:
        return moment
    return datetime.datetime.combine(day, end, tzinfo=zone).astimezone(datetime.UTC)
