"""Proof that a sweep reads what is due, not what exists.

A test fills a table with rows that are NOT due (bulk_create), runs `analyze`, and
then `assert_constant_idle_queries` runs the sweep with nothing due, pins its query
count, and `assert_uses_index` explains the sweep's main query with the real
statistics (no `enable_seqscan=off`): the plan must read the table through the named
partial index, never with a Seq Scan over it.

The plan must be the one a clean database holding only this test's rows would give,
whatever earlier tests left behind. So `explain` and `loops_by_table` first `settle`
every table the query reads (each named after a FROM or a JOIN): CLUSTER on its primary
key, which rewrites it compactly in the order its rows were inserted and rebuilds its
indexes, then ANALYZE. Both run inside the test's transaction and see its rows; the
rewrite is rolled back with it. Without that the plan hung on history:

- The small tables a sweep joins (the program, its settings, the recipient) keep the
  statistics autovacuum last gave them. A program table once analyzed while holding
  thirty programs, then emptied by a transactional test's DELETE, still counts thirty:
  the planner then read the requests by program (`..._supportrequest_program_id_...`)
  instead of through the partial index, the support purge's flake.
- The big table keeps the dead rows of every earlier test's rolled-back bulk_create,
  and its indexes the pages those rows took: VACUUM frees the pages but never shrinks
  an index, and the planner charges an index scan by the index's size, so after a few
  runs a Seq Scan won. (VACUUM cannot run inside the test's transaction anyway.)
"""

import re
from collections.abc import Callable, Iterator

from django.db import connection
from django.test.utils import CaptureQueriesContext

_READS = re.compile(r'\b(?:FROM|JOIN)\s+"(\w+)"', re.IGNORECASE)


def analyze(*tables: str) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ANALYZE "{table}"')


def tables_read(sql: str) -> list[str]:
    """Every table `sql` names after a FROM or a JOIN, subqueries' included."""
    return sorted(set(_READS.findall(sql)))


def settle(*tables: str) -> None:
    """Rewrite each table without its dead rows, with fresh indexes and statistics.
    (The foreign keys' checks, deferred to the commit, run first: CLUSTER refuses a
    table with checks pending.)"""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in tables:
            cursor.execute(
                "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = %s::regclass AND indisprimary",
                [f'"{table}"'],
            )
            (primary_key,) = cursor.fetchone()
            cursor.execute(f'CLUSTER "{table}" USING {primary_key}')
            cursor.execute(f'ANALYZE "{table}"')


def idle_queries(sweep: Callable[[], object]) -> list[str]:
    """The SQL a sweep runs; it must find nothing to do."""
    with CaptureQueriesContext(connection) as captured:
        done = sweep()
    assert not done, f"expected nothing due, the sweep did {done}"
    return [query["sql"] for query in captured.captured_queries]


def assert_constant_idle_queries(sweep: Callable[[], object], expected: int, *, grow: Callable[[], object]) -> list:
    """The sweep runs exactly `expected` queries with nothing due, before and after
    `grow()` adds rows that are not due. Returns the queries run after growing."""
    before = idle_queries(sweep)
    assert len(before) == expected, _listing(expected, before, "")
    grow()
    after = idle_queries(sweep)
    assert len(after) == expected, _listing(expected, after, " after the data grew")
    return after


def main_query(queries: list[str], table: str) -> str:
    """The first SELECT that reads `table` (its FROM names it)."""
    for sql in queries:
        if sql.lstrip().upper().startswith("SELECT") and f'FROM "{table}"' in sql:
            return sql
    raise AssertionError(f"no SELECT from {table} among:\n" + "\n".join(queries))


def assert_uses_index(sql: str, *, table: str, index: str | None) -> None:
    """No Seq Scan on `table`, and `index` read (None: any index of the table)."""
    nodes = list(_nodes(explain(sql)))
    seq = [n for n in nodes if n["Node Type"] == "Seq Scan" and n.get("Relation Name") == table]
    assert not seq, f"Seq Scan on {table}:\n{_shape(nodes)}"
    if index is None:
        used = [n for n in nodes if n.get("Relation Name") == table and "Index Name" in n]
    else:
        used = [n for n in nodes if n.get("Index Name") == index]
    assert used, f"{index or 'no index of ' + table} used:\n{_shape(nodes)}"


def explain(sql: str) -> dict:
    settle(*tables_read(sql))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        (document,) = cursor.fetchone()
    return document[0]["Plan"]


def loops_by_table(sql: str) -> dict[str, int]:
    """Run `sql` under EXPLAIN ANALYZE: how many times each table's scans ran (0: in the
    plan, but never executed, as a CASE branch not taken)."""
    settle(*tables_read(sql))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        (document,) = cursor.fetchone()
    loops: dict[str, int] = {}
    for node in _nodes(document[0]["Plan"]):
        if "Relation Name" in node:
            loops[node["Relation Name"]] = loops.get(node["Relation Name"], 0) + node["Actual Loops"]
    return loops


def _nodes(plan: dict) -> Iterator[dict]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _shape(nodes: list[dict]) -> str:
    return "\n".join(f"  {n['Node Type']} {n.get('Relation Name', '')} {n.get('Index Name', '')}" for n in nodes)


def _listing(expected: int, queries: list[str], when: str) -> str:
    lines = "\n".join(f"  {n}. {sql[:200]}" for n, sql in enumerate(queries, 1))
    return f"the idle sweep ran {len(queries)} queries{when}, expected {expected}:\n{lines}"
