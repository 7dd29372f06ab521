import pytest

from support_requests.reports import SMALL, program_report, suppress


def test_small_cells_show_as_under_five():
    result = suppress([[7, 0, 12], [9, 6, 10]])
    assert result["cells"] == [["7", "0", "12"], ["9", "6", "10"]]  # nothing small: nothing hidden
    result = suppress([[3, 8, 9], [6, 7, 12]])
    assert result["cells"][0][0] == SMALL


def test_complementary_suppression_leaves_nothing_to_subtract():
    matrix = [[3, 8, 9], [6, 7, 12]]
    result = suppress(matrix)
    cells = result["cells"]
    for r, row in enumerate(cells):  # no row or column with a shown total has exactly one hidden cell
        hidden = [c for c, cell in enumerate(row) if cell == SMALL]
        assert len(hidden) != 1 or result["row_totals"][r] == SMALL
    for c in range(3):
        hidden = [r for r in range(2) if cells[r][c] == SMALL]
        assert len(hidden) != 1 or result["col_totals"][c] == SMALL
    assert cells[0][1] == SMALL  # the smallest other cell in the row went with it
    assert cells[1][0] == SMALL  # and the column's partner


def test_a_small_total_is_hidden_with_a_partner():
    result = suppress([[2, 0], [6, 9]])
    assert result["row_totals"][0] == SMALL
    assert sum(1 for t in result["row_totals"] if t == SMALL) != 1 or result["grand_total"] == SMALL


@pytest.mark.django_db
def test_program_report_by_month_and_reason(program, make_request):
    for _ in range(6):
        make_request(reason="burnout")
    for _ in range(2):
        make_request(reason="complaint")
    report = program_report(program)
    ((month, cells, total),) = report["table_rows"]
    reasons = [value for value, _ in report["reasons"]]
    assert cells[reasons.index("burnout")] == "6" or cells[reasons.index("burnout")] == SMALL
    assert cells[reasons.index("complaint")] == SMALL
    assert total == "8"
