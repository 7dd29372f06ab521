"""One guard `make guards` removes (peers/testing/guards.py): the file, the guard's exact
text (once), the text without it, and the tests that must then fail."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Guard:
    name: str
    path: str
    guarded: str
    unguarded: str
    tests: tuple[str, ...]
    # A guard that lives in a migration (a CHECK, a trigger) needs a schema built anew:
    # its tests run with --create-db on a database of their own, so the everyday
    # --reuse-db test database never holds the weakened schema.
    fresh_schema: bool = False
