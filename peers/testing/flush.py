"""Emptying the database after a `transaction=True` test, in milliseconds.

Django's own teardown runs `flush` once per database alias: a TRUNCATE of all ~90
tables (new files for every table, 0.3-5 s on a busy machine) and then the post_migrate
signal, which rebuilds content types and permissions and reinstalls the triggers. Here
`audit` is a second alias of the same database, so that happened twice per test.

`empty_database` leaves the same state: every table a model owns is empty, sequences
run on. It deletes only from the tables that hold rows, with triggers (the history
triggers, the append-only guards, the foreign-key checks) off for that one transaction,
as TRUNCATE has them off. Content types and permissions are kept instead of rebuilt, so
post_migrate has nothing to do. Without superuser rights (needed to turn triggers off)
it falls back to Django's flush.
"""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction
from django.test import TransactionTestCase

KEPT = {ContentType._meta.db_table, Permission._meta.db_table}  # what post_migrate would rebuild as it was


def may_turn_triggers_off(connection) -> bool:
    """Only a superuser may (session_replication_role)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return bool(cursor.fetchone()[0])


def empty_database(alias: str) -> bool:
    """Delete every row of the model tables of `alias`; answer False (having done
    nothing) when the connection may not turn triggers off."""
    connection = connections[alias]
    if not may_turn_triggers_off(connection):
        return False
    quote = connection.ops.quote_name
    tables = sorted(set(connection.introspection.django_table_names(only_existing=True)) - KEPT)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"SELECT %s WHERE EXISTS (SELECT FROM {quote(t)})" for t in tables), tables)
        holding = [row[0] for row in cursor.fetchall()]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        for table in holding:
            cursor.execute(f"DELETE FROM {quote(table)}")
    return True


_django_fixture_teardown = TransactionTestCase._fixture_teardown


def _fixture_teardown(self) -> None:
    """Empty each database once (aliases of one database share it); Django's flush
    where that cannot be done, or where a test limits its apps or reloads serialized data."""
    if self.available_apps is not None or self.serialized_rollback:
        return _django_fixture_teardown(self)
    emptied = set()
    for alias in self._databases_names(include_mirrors=False):
        settings = connections[alias].settings_dict
        database = (settings["HOST"], settings["PORT"], settings["NAME"])
        if database in emptied:
            continue
        if not empty_database(alias):
            return _django_fixture_teardown(self)
        emptied.add(database)
    return None


def install() -> None:
    TransactionTestCase._fixture_teardown = _fixture_teardown
