"""Running code at the same time, for tests that prove a lock or a claim."""

import threading
from collections.abc import Callable

from django.db import connections


def run_concurrently(*functions: Callable[[], object], timeout: float = 120) -> list[object]:
    """Run each function in its own thread, released together, and return what each
    returned or raised (an exception instance), in the order given. Each thread closes
    its database connections when done. Needs `django_db(transaction=True)`."""
    barrier = threading.Barrier(len(functions))
    results: list[object] = [None] * len(functions)

    def run(index: int, function: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[index] = function()
        except Exception as error:  # returned to the test, which asserts on it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n, f)) for n, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
