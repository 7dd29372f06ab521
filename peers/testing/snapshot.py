"""Building a large data set once per module, for `transaction=True` tests that each need
it whole (the browser tests on the demo data).

`rows_copy` copies every row of the model tables out (PostgreSQL's COPY, in memory) after
the first test built them; `rows_restore` puts them back, with the same ids, into the
empty tables a later test starts with. Triggers are off while they go back, as during a
restore from a dump: the history rows the triggers wrote the first time are among the
rows copied, and must not be written twice. Sequences are never reset between tests
(peers/testing/flush.py), so the ids a test creates next are above the copied ones.
"""

import io

from django.db import connection, transaction

from peers.testing.flush import KEPT


def rows_copy() -> dict[str, bytes]:
    """Every non-empty model table's rows, as COPY's text format."""
    quote = connection.ops.quote_name
    tables = sorted(set(connection.introspection.django_table_names(only_existing=True)) - KEPT)
    copied = {}
    with connection.cursor() as cursor:
        for table in tables:
            buffer = io.BytesIO()
            cursor.cursor.copy_expert(f"COPY {quote(table)} TO STDOUT", buffer)
            if buffer.tell():
                copied[table] = buffer.getvalue()
    return copied


def rows_restore(copied: dict[str, bytes]) -> None:
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        for table, rows in copied.items():
            cursor.cursor.copy_expert(f"COPY {quote(table)} FROM STDIN", io.BytesIO(rows))
