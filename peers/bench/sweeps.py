"""Time every registered sweep (peers/registry.py) on the benchmark's database:

1. with what the data has due (each sweep in a transaction rolled back afterwards, so
   each finds the data as built);
2. then every sweep run for real until none acts (what a minute of beat would do);
3. then with nothing due: the median of five runs.

    DATABASE_URL=…/peers_bench python -m peers.bench.sweeps
"""

import os
import statistics
import time

import django


def timed(func) -> tuple[float, int, object]:
    """(milliseconds, queries, result) of one call. Queries are counted, not kept (a sweep
    with much due runs more than CaptureQueriesContext keeps)."""
    from django.db import connection

    count = 0

    def counting(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        started = time.perf_counter()
        result = func()
        elapsed = 1000 * (time.perf_counter() - started)
    return elapsed, count, result


def with_rollback(func) -> tuple[float, int, object]:
    from django.db import transaction

    with transaction.atomic():
        measured = timed(func)
        transaction.set_rollback(True)
    return measured


def drain(sweeps: dict, passes: int = 10) -> None:
    for _ in range(passes):
        acted = [func() for func in sweeps.values()]
        if not any(acted):
            return


def run() -> list[dict]:
    from django.db import connection

    from peers import registry

    if not connection.settings_dict["NAME"].endswith("_bench"):
        raise SystemExit("peers.bench.sweeps runs only on the benchmark's database (*_bench).")
    rows = []
    for name, func in registry.sweeps.items():
        ms, queries, result = with_rollback(func)
        rows.append({"sweep": name, "due_ms": ms, "due_queries": queries, "due_result": result})
    drain(registry.sweeps)
    for row in rows:
        runs = [timed(registry.sweeps[row["sweep"]]) for _ in range(5)]
        row["idle_ms"] = statistics.median(ms for ms, _, _ in runs)
        row["idle_queries"] = max(queries for _, queries, _ in runs)
    return rows


IDLE_TARGET_MS = 10  # every sweep with nothing due (issue 17)


def report(rows: list[dict]) -> str:
    lines = [
        f"{'sweep':<28} {'due: ms':>9} {'queries':>8} {'acted':>7}   {'idle: ms':>9} {'queries':>8}  target (idle)"
    ]
    for row in rows:
        acted = row["due_result"] if isinstance(row["due_result"], int) else "-"
        verdict = "PASS" if row["idle_ms"] < IDLE_TARGET_MS else "MISS"
        lines.append(
            f"{row['sweep']:<28} {row['due_ms']:>9.1f} {row['due_queries']:>8} {acted!s:>7}"
            f"   {row['idle_ms']:>9.1f} {row['idle_queries']:>8}  <{IDLE_TARGET_MS} ms {verdict}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peers.settings")
    django.setup()
    print(report(run()), flush=True)
