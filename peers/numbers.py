"""Whole numbers read from what a browser sent (a query string, a form field, a URL part)."""


def whole_number(value: object) -> int | None:
    """`value` as a whole number when it is written in ASCII digits only, else None.

    `str.isdigit` alone is not enough: it accepts "²" and other digits that `int()`
    refuses (a 500), and digits of other scripts that `int()` reads as numbers nobody
    typed on purpose."""
    text = "" if value is None else str(value)
    return int(text) if text.isascii() and text.isdigit() else None
