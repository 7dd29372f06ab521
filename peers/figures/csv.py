"""A figure's table as CSV: exactly the strings the page shows, so an export goes
through the same suppression as the page and publishes nothing more."""

import csv
import io

from peers.figures.figure import Figure


def figure_csv(figure: Figure, *, heading: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([heading])
    writer.writerow(figure.columns)
    for row in figure.table():
        writer.writerow([_guard(text) for text in row])
    if figure.note:
        writer.writerow([figure.note])
    return out.getvalue()


def _guard(text: str) -> str:
    """A cell a spreadsheet would read as a formula is quoted with a leading apostrophe."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text.rstrip("%"))
    except ValueError:
        return False
    return True
