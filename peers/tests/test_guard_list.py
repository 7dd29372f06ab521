"""`make guards` can only remove a guard it finds: every guard's text is in its file exactly
once and every test it names exists, checked in `make test` so a refactor that moves a guard
fails here, not only in the slower `make guards`."""

from pathlib import Path

import pytest

from peers.testing.guard_list import GUARDS

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def test_guard_names_are_unique():
    names = [guard.name for guard in GUARDS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("guard", GUARDS, ids=lambda guard: guard.name)
def test_each_guard_is_found_once_and_names_existing_tests(guard):
    text = (BASE_DIR / guard.path).read_text()
    assert text.count(guard.guarded) == 1, f"{guard.path} holds the guard's text {text.count(guard.guarded)} times"
    for test in guard.tests:
        path, _, name = test.partition("::")
        assert (BASE_DIR / path).is_file(), f"{path} does not exist"
        if name:
            assert f"def {name.split('[')[0]}(" in (BASE_DIR / path).read_text(), f"{test} does not exist"
