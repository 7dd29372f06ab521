"""The default cache: Django's database cache with an atomic `incr`.

The cache lives in PostgreSQL so that the rate limits and the intake's claims keep
working while Redis is down. Django's `incr` there is a get then a set, so two requests
counting at once both read 4 and both write 5, and a limit of five lets more through.
Here `incr` locks the key's row (SELECT ... FOR UPDATE) and updates it in the same
transaction: concurrent counts each see their own number. A missing or expired key
raises ValueError, as every cache backend's `incr` does.
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT value, expires FROM {table} WHERE cache_key = %s FOR UPDATE",
                [key],
            )
            row = cursor.fetchone()
            if row is None or row[1] < tz_now():
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode())) + delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET value = %s WHERE cache_key = %s", [encoded, key])
        return value
