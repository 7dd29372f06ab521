"""The suppression engine, attacked: for random tables, an attacker who knows only what
is published (shown cells and totals exact, "<5" as 1 to 4, "suppressed" as 0 or more)
solves for each hidden cell's smallest and largest value with linear programming."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from peers import suppression
from peers.suppression import SMALL, SUPPRESSED, publishable_texts, suppress_count, suppress_counts, suppress_table

# Many small values and zeros: that is where cells give each other away.
counts = st.one_of(st.integers(0, 4), st.integers(0, 4), st.integers(0, 30))
matrices = st.integers(1, 5).flatmap(
    lambda cols: st.lists(st.lists(counts, min_size=cols, max_size=cols), min_size=1, max_size=5)
)


def _labels(n):
    return [f"l{i}" for i in range(n)]


def _table(matrix):
    return suppress_table(matrix, row_labels=_labels(len(matrix)), col_labels=_labels(len(matrix[0])))


def _attacker_ranges(items: list[str], lines: list[tuple[list[int], int]]) -> dict[int, tuple[float, float]]:
    """Each hidden item's (min, max) given the published strings and the line sums."""
    bounds = [
        (1, 4) if shown == SMALL else (0, None) if shown == SUPPRESSED else (int(shown), int(shown)) for shown in items
    ]
    a_eq = np.zeros((len(lines), len(items)))
    for row, (members, total) in enumerate(lines):
        a_eq[row, members] = 1
        a_eq[row, total] = -1
    lp = {"A_eq": a_eq, "b_eq": np.zeros(len(lines))} if lines else {}
    ranges = {}
    for index, shown in enumerate(items):
        if shown not in (SMALL, SUPPRESSED):
            continue
        objective = np.zeros(len(items))
        objective[index] = 1
        low = linprog(objective, bounds=bounds, method="highs", **lp)
        high = linprog(-objective, bounds=bounds, method="highs", **lp)
        assert low.status == 0, "the published table is inconsistent"
        ranges[index] = (low.fun, float("inf") if high.status == 3 else -high.fun)
    return ranges


def _published_items(table):
    """Cells, row totals, column totals, grand total, and the sums that tie them."""
    rows, cols = len(table.cells), len(table.cells[0])
    items = [cell for row in table.cells for cell in row]
    lines = []
    row_ids = list(range(len(items), len(items) + rows))
    items += table.row_totals
    col_ids = list(range(len(items), len(items) + cols))
    items += table.col_totals
    grand = len(items)
    items.append(table.grand_total)
    lines += [([r * cols + c for c in range(cols)], row_ids[r]) for r in range(rows)]
    lines += [([r * cols + c for r in range(rows)], col_ids[c]) for c in range(cols)]
    lines += [(row_ids, grand), (col_ids, grand)]
    return items, lines


def _assert_truthful(items, values):
    for shown, value in zip(items, values, strict=True):
        if shown == SMALL:
            assert 1 <= value <= 4
        elif shown != SUPPRESSED:
            assert int(shown) == value
        assert value not in range(1, 5) or shown in (SMALL, SUPPRESSED), "a small count was shown"


def _true_values(matrix):
    rows = [sum(row) for row in matrix]
    cols = [sum(column) for column in zip(*matrix, strict=True)]
    return [value for row in matrix for value in row] + rows + cols + [sum(rows)]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(matrices)
def test_no_hidden_cell_or_total_can_be_narrowed_to_fewer_than_two_values(matrix):
    items, lines = _published_items(_table(matrix))
    _assert_truthful(items, _true_values(matrix))
    for index, (low, high) in _attacker_ranges(items, lines).items():
        assert high - low >= 2 - 1e-6, (matrix, items, index, low, high)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(counts, min_size=1, max_size=9))
def test_no_hidden_count_in_a_line_can_be_narrowed(values):
    published = suppress_counts(values, labels=_labels(len(values)))
    items = [*published.cells, published.total]
    _assert_truthful(items, [*values, sum(values)])
    ranges = _attacker_ranges(items, [(list(range(len(values))), len(values))])
    for index, (low, high) in ranges.items():
        assert high - low >= 2 - 1e-6, (values, items, index, low, high)


def test_the_linear_programming_check_catches_what_the_heuristic_misses(monkeypatch):
    # Three people, one per reason: "<5 <5 <5, total <5" says each cell is 1 or 2.
    assert suppress_counts([1, 1, 1], labels=["a", "b", "c"]).total == SUPPRESSED
    monkeypatch.setattr(suppression._Table, "_narrowed", lambda self, verified: None)
    assert suppress_counts([1, 1, 1], labels=["a", "b", "c"]).total == SMALL  # the leak, without the check


def test_nothing_small_nothing_hidden():
    table = _table([[7, 0, 12], [9, 6, 10]])
    assert table.cells == [["7", "0", "12"], ["9", "6", "10"]]
    assert table.row_totals == ["19", "25"] and table.col_totals == ["16", "6", "22"] and table.grand_total == "44"


def test_a_small_cell_shows_under_five_and_its_partners_suppressed():
    table = _table([[3, 8, 9], [6, 7, 12]])
    assert table.cells[0][0] == SMALL
    assert SUPPRESSED in table.cells[0] and SUPPRESSED in [row[0] for row in table.cells]
    assert table.grand_total == "45"  # nothing small about the whole


def test_two_small_cells_that_add_up_to_little_take_a_third_with_them():
    table = _table([[1, 1, 10, 0, 0]])
    assert table.cells[0][:3] == [SMALL, SMALL, SUPPRESSED]
    assert table.cells[0][3:] == ["0", "0"]  # zeros reveal nobody


def test_a_table_survives_being_stored_as_json():
    table = _table([[3, 8], [6, 7]])
    assert suppression.SuppressedTable.from_json(table.to_json()) == table
    assert table.rows()[0][0] == "l0"


def test_a_single_count_and_free_text():
    assert [suppress_count(n) for n in (0, 1, 4, 5)] == ["0", SMALL, SMALL, "5"]
    assert publishable_texts(["b", "A", " ", "c", "d"]) is None  # four people wrote something
    assert publishable_texts(["b", "A", "e", "c", "d"]) == ["A", "b", "c", "d", "e"]  # never in arrival order


def test_a_table_that_does_not_match_its_labels_is_refused():
    with pytest.raises(ValueError):
        suppress_table([[1, 2]], row_labels=["a"], col_labels=["x"])
    with pytest.raises(ValueError):
        suppress_counts([1], labels=["a"], threshold=3)
