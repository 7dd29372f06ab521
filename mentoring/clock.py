"""Mentoring's days are the program's: a month, a semester and an away notice begin and
end at midnight in the program's time zone, wherever the server or the reader is."""

import datetime
import zoneinfo

from django.utils import timezone

from peers.models import TrainingProgram


def program_today(program: TrainingProgram, now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localtime(now or timezone.now(), zoneinfo.ZoneInfo(program.time_zone)).date()
