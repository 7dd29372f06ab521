import pytest

from peers.numbers import whole_number


@pytest.mark.parametrize(
    ("sent", "read"),
    [("12", 12), ("0", 0), ("", None), (None, None), ("-1", None), ("1.5", None), ("²", None), ("١٢", None), (7, 7)],
)
def test_only_ascii_digits_are_a_whole_number(sent, read):
    assert whole_number(sent) == read
