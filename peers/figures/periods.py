"""Academic terms and years, the periods the figures pages are read by.

An academic year starts on 1 July (residencies and most medical school calendars turn
over then) and has two terms: fall (July to December) and spring (January to June).
A period is closed once it has ended in the program's time zone; anything that counts
people leaving a confidential room is shown for closed periods only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

YEAR_STARTS = 7  # July
YEARS_LISTED = 4  # the selector offers this many academic years back


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: datetime.date
    end: datetime.date  # exclusive

    @classmethod
    def parse(cls, key: str) -> Period | None:
        """`2026` (the year from July 2026), `2026-fall` or `2026-spring`; None if malformed."""
        year_text, dash, term = key.partition("-")
        if not (year_text.isdigit() and len(year_text) == 4 and (term in ("fall", "spring") or not dash)):
            return None
        year = int(year_text)
        if term == "fall":
            return cls(
                key, f"Fall {year} ({year}–{year + 1})", datetime.date(year, 7, 1), datetime.date(year + 1, 1, 1)
            )
        if term == "spring":
            return cls(
                key,
                f"Spring {year + 1} ({year}–{year + 1})",
                datetime.date(year + 1, 1, 1),
                datetime.date(year + 1, 7, 1),
            )
        return cls(key, f"Academic year {year}–{year + 1}", datetime.date(year, 7, 1), datetime.date(year + 1, 7, 1))

    def bounds(self, zone: str) -> tuple[datetime.datetime, datetime.datetime]:
        """The first and the next period's first instant (local midnight), in UTC."""
        tz = ZoneInfo(zone)
        start = datetime.datetime.combine(self.start, datetime.time(), tz)
        end = datetime.datetime.combine(self.end, datetime.time(), tz)
        return start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)

    def is_closed(self, zone: str) -> bool:
        return self.bounds(zone)[1] <= timezone.now()

    def months(self) -> list[datetime.date]:
        months, month = [], self.start
        while month < self.end:
            months.append(month)
            month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return months

    def terms(self) -> list[Period]:
        """A year's two terms; a term is its own only term."""
        if "-" in self.key:
            return [self]
        return [Period.parse(f"{self.key}-fall"), Period.parse(f"{self.key}-spring")]


def academic_year_of(day: datetime.date) -> int:
    return day.year if day.month >= YEAR_STARTS else day.year - 1


def current_term(zone: str) -> Period:
    today = timezone.now().astimezone(ZoneInfo(zone)).date()
    term = "fall" if today.month >= YEAR_STARTS else "spring"
    return Period.parse(f"{academic_year_of(today)}-{term}")


def period_choices(zone: str) -> list[Period]:
    """Newest first: each academic year, then its spring and fall, back YEARS_LISTED years."""
    today = timezone.now().astimezone(ZoneInfo(zone)).date()
    choices = []
    for year in range(academic_year_of(today), academic_year_of(today) - YEARS_LISTED, -1):
        for key in (f"{year}", f"{year}-spring", f"{year}-fall"):
            period = Period.parse(key)
            if period.start <= today:
                choices.append(period)
    return choices
