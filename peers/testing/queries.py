"""The one way tests count queries.

A page that lists things must cost the same number of queries however much it lists.
`page_queries` loads the page once to warm per-request caches (the session, the
permission cache), then counts the second load. `assert_fixed_queries` pins the
absolute number, grows the data, and pins it again, so a test proves both the figure a
reviewer reads in its comment and that the figure does not grow with the rows.
"""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url: str, *, status: int = 200) -> list[str]:
    """The SQL of the second GET of `url` (after a warming GET)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == status, f"{url} answered {response.status_code}"
    return [query["sql"] for query in captured.captured_queries]


def assert_fixed_queries(client, url: str, expected: int, *, grow: Callable[[], object]) -> None:
    """The page costs exactly `expected` queries before and after `grow()` adds rows."""
    before = page_queries(client, url)
    assert len(before) == expected, _listing(url, expected, before)
    grow()
    after = page_queries(client, url)
    assert len(after) == expected, _listing(url, expected, after, "after the data grew")


def _listing(url: str, expected: int, queries: list[str], when: str = "") -> str:
    lines = "\n".join(f"  {n}. {sql[:160]}" for n, sql in enumerate(queries, 1))
    return f"{url} ran {len(queries)} queries {when}, expected {expected}:\n{lines}"
