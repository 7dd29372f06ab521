"""One suppression engine for every count of people that leaves a confidential room
(support reports, survey results, session feedback, figures). It imports no app.

What readers are told, and so what an attacker may use:
- a number is the exact count; zeros are shown (they reveal nobody);
- "<5" is a count from 1 to 4;
- "suppressed" is withheld to protect another cell: any count, 0 or more.

Every hidden cell and total must keep a feasible range of at least 2 given everything
published in the table: its shown cells and totals, and those bounds. `suppress_table`
does this in three steps:

1. Primary: every cell and total from 1 to 4 shows "<5".
2. Complementary (a cheap heuristic, repeated until nothing changes): in any line whose
   total is shown, the hidden items must be at least two and add up to 5 or more;
   otherwise the smallest shown non-zero item is hidden too, or else the total.
3. Verification by linear programming (scipy's HiGHS): for each hidden item, the smallest
   and largest values consistent with the published table. Row and column sums form a
   network (totally unimodular) matrix, so those extremes are integers and the LP range is
   the attacker's exact range. While some range is under 2, hide more in that item's own
   lines: the smallest shown non-zero cell, else a shown total, else a shown zero; failing
   those, relabel a "<5" total as "suppressed" (a weaker statement that is still true), and
   only then reach further into the table. Each step hides something or weakens a label,
   so this ends; with nothing left shown every range is open. Items already found wide
   enough are not solved again: hiding more only relaxes the constraints.

A table published once must never be republished with different figures: callers publish
closed periods only and keep what they published (see `peers.models.PublishedTable`).
Cross-period totals are not published unless they are part of the same table.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.optimize import linprog

THRESHOLD = 5
SUPPRESSED = "suppressed"
MIN_RANGE = 2

_SHOWN, _SMALL, _HIDDEN = "shown", "small", "hidden"


def small_label(threshold: int = THRESHOLD) -> str:
    return f"<{threshold}"


SMALL = small_label()


@dataclass(frozen=True)
class SuppressedTable:
    """Display strings of a table and its totals (None where a total is not published)."""

    row_labels: list[str]
    col_labels: list[str]
    cells: list[list[str]]
    row_totals: list[str] | None
    col_totals: list[str] | None
    grand_total: str | None

    def rows(self) -> list[tuple[str, list[str], str | None]]:
        totals = self.row_totals or [None] * len(self.cells)
        return list(zip(self.row_labels, self.cells, totals, strict=True))

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> SuppressedTable:
        return cls(**data)


@dataclass(frozen=True)
class SuppressedCounts:
    """Display strings of one line of counts (a question's choices, a month's referrals)."""

    labels: list[str]
    cells: list[str]
    total: str | None

    def items(self) -> list[tuple[str, str]]:
        return list(zip(self.labels, self.cells, strict=True))

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> SuppressedCounts:
        return cls(**data)


def suppress_table(
    matrix: list[list[int]],
    *,
    row_labels: list[str],
    col_labels: list[str],
    threshold: int = THRESHOLD,
    totals: bool = True,
) -> SuppressedTable:
    """Suppress a table with its row, column and grand totals (or none with totals=False)."""
    rows, cols = len(row_labels), len(col_labels)
    if len(matrix) != rows or any(len(row) != cols for row in matrix):
        raise ValueError("The matrix does not match its labels.")
    table = _Table.build(matrix, row_totals=totals, col_totals=totals, grand_total=totals)
    shown = table.suppress(threshold)
    cell = lambda r, c: shown[r * cols + c]  # noqa: E731
    return SuppressedTable(
        row_labels=list(row_labels),
        col_labels=list(col_labels),
        cells=[[cell(r, c) for c in range(cols)] for r in range(rows)],
        row_totals=[shown[table.row_total[r]] for r in range(rows)] if totals else None,
        col_totals=[shown[table.col_total[c]] for c in range(cols)] if totals else None,
        grand_total=shown[table.grand] if totals else None,
    )


def suppress_counts(
    counts: list[int], *, labels: list[str], threshold: int = THRESHOLD, total: bool = True
) -> SuppressedCounts:
    """Suppress one line of counts and (if published) its total."""
    if len(counts) != len(labels):
        raise ValueError("The counts do not match their labels.")
    table = _Table.build([list(counts)], row_totals=total, col_totals=False, grand_total=False)
    shown = table.suppress(threshold)
    return SuppressedCounts(
        labels=list(labels),
        cells=shown[: len(counts)],
        total=shown[table.row_total[0]] if total else None,
    )


def suppress_count(n: int, *, threshold: int = THRESHOLD) -> str:
    """A single count with nothing published beside it."""
    return suppress_counts([n], labels=[""], threshold=threshold, total=False).cells[0]


def may_show(n: int, *, threshold: int = THRESHOLD) -> bool:
    """A statistic over a group (a mean, a median) is shown only for 5 people or more."""
    return n >= threshold


def may_show_free_text(n: int, *, threshold: int = THRESHOLD) -> bool:
    """Free-text answers and comments are shown only when at least 5 people answered."""
    return n >= threshold


def publishable_texts(texts: list[str], *, threshold: int = THRESHOLD) -> list[str] | None:
    """The non-blank texts in alphabetical order (never in arrival order), or None when
    fewer than 5 people wrote one."""
    texts = [text.strip() for text in texts if text and text.strip()]
    if not may_show_free_text(len(texts), threshold=threshold):
        return None
    return sorted(texts, key=lambda text: (text.casefold(), text))


class _Table:
    """Items are cells (row-major) then published totals; each line says its members
    add up to its total item."""

    def __init__(self, values: list[int], lines: list[tuple[list[int], int]]):
        self.values = values
        self.lines = lines
        self.state = [_SHOWN] * len(values)
        self.row_total: list[int] = []
        self.col_total: list[int] = []
        self.grand = -1
        self.threshold = THRESHOLD

    @classmethod
    def build(cls, matrix, *, row_totals: bool, col_totals: bool, grand_total: bool) -> _Table:
        rows, cols = len(matrix), len(matrix[0]) if matrix else 0
        if any(value < 0 for row in matrix for value in row):
            raise ValueError("Counts cannot be negative.")
        values = [int(value) for row in matrix for value in row]
        lines: list[tuple[list[int], int]] = []
        row_ids, col_ids, grand = [], [], -1
        if row_totals:
            for r in range(rows):
                row_ids.append(len(values))
                values.append(sum(matrix[r]))
                lines.append(([r * cols + c for c in range(cols)], row_ids[-1]))
        if col_totals:
            for c in range(cols):
                col_ids.append(len(values))
                values.append(sum(matrix[r][c] for r in range(rows)))
                lines.append(([r * cols + c for r in range(rows)], col_ids[-1]))
        if grand_total:
            grand = len(values)
            values.append(sum(values[: rows * cols]))
            if row_ids:
                lines.append((row_ids, grand))
            if col_ids:
                lines.append((col_ids, grand))
        table = cls(values, lines)
        table.row_total, table.col_total, table.grand = row_ids, col_ids, grand
        return table

    def suppress(self, threshold: int) -> list[str]:
        if threshold < MIN_RANGE + 2:
            raise ValueError("A threshold under 4 would let '<threshold' itself give a count away.")
        self.threshold = threshold
        for item, value in enumerate(self.values):
            if 0 < value < threshold:
                self.state[item] = _SMALL
        self._complement(threshold)
        verified: set[int] = set()
        while (item := self._narrowed(verified)) is not None:
            self._hide_more(item)
        label = small_label(threshold)
        return [
            str(value) if state == _SHOWN else label if state == _SMALL else SUPPRESSED
            for value, state in zip(self.values, self.state, strict=True)
        ]

    def _complement(self, threshold: int) -> None:
        changed = True
        while changed:
            changed = False
            for members, total in self.lines:
                secret = [item for item in members if self.state[item] != _SHOWN]
                if not secret or self.state[total] != _SHOWN:
                    continue
                if len(secret) >= 2 and sum(self.values[item] for item in secret) >= threshold:
                    continue
                shown = [item for item in members if self.state[item] == _SHOWN and self.values[item]]
                target = min(shown, key=lambda item: self.values[item]) if shown else total
                self.state[target] = _HIDDEN
                changed = True

    def _narrowed(self, verified: set[int]) -> int | None:
        """The first hidden item whose feasible range is under 2, if any. Hiding more only
        widens ranges, so an item found wide enough stays so and joins `verified`."""
        hidden = [item for item, state in enumerate(self.state) if state != _SHOWN]
        column = {item: n for n, item in enumerate(hidden)}
        bounds = [(1, self.threshold - 1) if self.state[item] == _SMALL else (0, None) for item in hidden]
        equations, constants = [], []
        for members, total in self.lines:
            row, constant = np.zeros(len(hidden)), 0
            for item, sign in [*((m, 1) for m in members), (total, -1)]:
                if item in column:
                    row[column[item]] = sign
                else:
                    constant += sign * self.values[item]
            if row.any():
                equations.append(row)
                constants.append(-constant)
        lp = {"A_eq": np.array(equations), "b_eq": np.array(constants)} if equations else {}
        for item in hidden:
            if item in verified:
                continue
            objective = np.zeros(len(hidden))
            objective[column[item]] = 1
            low = linprog(objective, bounds=bounds, method="highs", **lp)
            high = linprog(-objective, bounds=bounds, method="highs", **lp)
            if low.status != 0 or high.status not in (0, 3):  # 3: unbounded above, wide open
                raise RuntimeError(f"Suppression check failed to solve: {low.message} / {high.message}")
            if high.status == 0 and -high.fun - low.fun < MIN_RANGE - 1e-6:
                return item
            verified.add(item)
        return None

    def _hide_more(self, item: int) -> None:
        """Hide the smallest shown item of the narrowed item's lines (non-zero cells, then
        totals, then zeros); failing that, weaken a "<5" label: a total first."""
        near = [line for line in self.lines if item in line[0] or item == line[1]]
        near_members = {m for members, _ in near for m in members} - {item}
        near_totals = {total for _, total in near} - {item}
        every = set(range(len(self.values)))
        all_totals = {total for _, total in self.lines}
        for phase, items in (
            ("hide", [i for i in near_members if self.values[i]]),
            ("hide", [i for i in near_totals if self.values[i]]),
            ("hide", near_members | near_totals),
            ("relabel", near_totals),
            ("relabel", all_totals),
            ("hide", every),
            ("relabel", near_members | {item}),
            ("relabel", every),
        ):
            wanted = _SHOWN if phase == "hide" else _SMALL
            candidates = [i for i in items if self.state[i] == wanted]
            if candidates:
                # Smallest value first; among totals, the widest (grand total) first.
                target = min(candidates, key=lambda i: (self.values[i], -i) if phase == "hide" else (-i,))
                self.state[target] = _HIDDEN
                return
        raise RuntimeError("Nothing left to hide.")  # unreachable: every range is open by then
