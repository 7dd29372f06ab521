import itertools

import pytest

from support_requests.reports import SMALL, SUPPRESSED, program_report, suppress


def _lines(result, matrix):
    """Each row and column with its hidden values and whether its total is shown."""
    cells = result["cells"]
    rows, cols = len(matrix), len(matrix[0])
    for r in range(rows):
        yield [matrix[r][c] for c in range(cols) if cells[r][c] in (SMALL, SUPPRESSED)], result["row_totals"][r]
    for c in range(cols):
        yield [matrix[r][c] for r in range(rows) if cells[r][c] in (SMALL, SUPPRESSED)], result["col_totals"][c]


def _nothing_can_be_worked_out(result, matrix):
    for hidden, total in _lines(result, matrix):
        if hidden and total not in (SMALL, SUPPRESSED):
            assert len(hidden) >= 2 and sum(hidden) >= 5, (hidden, total)


def test_nothing_small_nothing_hidden():
    result = suppress([[7, 0, 12], [9, 6, 10]])
    assert result["cells"] == [["7", "0", "12"], ["9", "6", "10"]]
    assert result["grand_total"] == "44"


def test_small_cells_show_as_under_five_and_their_partners_as_suppressed():
    matrix = [[3, 8, 9], [6, 7, 12]]
    result = suppress(matrix)
    assert result["cells"][0][0] == SMALL
    assert SUPPRESSED in result["cells"][0] and SUPPRESSED in [row[0] for row in result["cells"]]
    _nothing_can_be_worked_out(result, matrix)


def test_two_small_cells_that_add_up_to_little_take_a_third_with_them():
    matrix = [[1, 1, 10, 0, 0]]  # shown, "<5, <5, 10 … total 12" would give both away
    result = suppress(matrix)
    assert result["cells"][0][:3] == [SMALL, SMALL, SUPPRESSED]
    _nothing_can_be_worked_out(result, matrix)


@pytest.mark.parametrize(
    "matrix",
    [
        [[1, 1, 10], [6, 7, 8]],
        [[2, 0], [6, 9]],
        [[4, 4, 4], [4, 4, 4]],
        [[1]],
        [[0, 0], [0, 3]],
        *[[list(values[:3]), list(values[3:])] for values in itertools.product((0, 1, 4, 6), repeat=6)][::97],
    ],
)
def test_no_hidden_value_can_be_subtracted_out(matrix):
    _nothing_can_be_worked_out(suppress(matrix), matrix)


@pytest.mark.django_db
def test_program_report_by_month_and_reason(program, make_request):
    for _ in range(6):
        make_request(reason="burnout")
    for _ in range(2):
        make_request(reason="complaint")
    report = program_report(program)
    ((month, cells, total),) = report["table_rows"]
    reasons = [value for value, _ in report["reasons"]]
    assert cells[reasons.index("complaint")] == SMALL
    assert cells[reasons.index("burnout")] == SUPPRESSED  # its partner in the row
    assert total == "8"
