"""One figure: a table of numbers, and the chart drawn from one of its columns.

Rows hold display values: numbers, or strings such as "<5", "suppressed" or "–" (no
value). The chart draws only numbers; a string draws no bar and is written beside its
label, so the chart never shows more than the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    slug: str
    title: str
    columns: list[str]  # the row label's heading first, then each value's
    rows: list[list]  # [label, value, ...]
    chart_column: int = 1  # which value column the chart draws
    unit: str = ""  # "%" for rates
    note: str = ""
    texts: dict[str, list[str]] = field(default_factory=dict)  # comments by row label, where publishable

    def table(self) -> list[list[str]]:
        """The rows as the page and the CSV show them (the unit on the charted column)."""
        return [
            [
                str(row[0]),
                *(_text(value, self.unit if n == self.chart_column else "") for n, value in enumerate(row[1:], 1)),
            ]
            for row in self.rows
        ]

    def chart_values(self) -> list[tuple[str, float | None, str]]:
        """(label, number or None, shown text) per row."""
        values = []
        for row in self.rows:
            value = row[self.chart_column]
            number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
            values.append((str(row[0]), number, _text(value, self.unit)))
        return values


@dataclass(frozen=True)
class Section:
    title: str
    figures: list[Figure]
    note: str = ""


def _text(value, unit: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value}{unit}"
    return str(value)


def share(part: int, whole: int) -> int | None:
    """A percentage rounded to a whole number, or None when there is nothing to divide."""
    return round(100 * part / whole) if whole else None
