"""Querysets whose SQL is compiled once a process (issue 17).

Django builds and compiles a queryset's SQL on every call. For the few reads the busiest
pages make that carry a dozen subqueries (the trainee's rounds, the home page's next round),
building and compiling took longer than PostgreSQL took to run them: about 8 ms of the
rounds list's 13 ms. `Precompiled` builds such a queryset once a process with stand-ins for
its arguments and keeps its SQL; each call fills the real values into the parameters and
hydrates the rows exactly as the queryset would (`select_related`, annotations, converters
such as the encrypted fields', `prefetch_related`), through the compiler the first build set up.

    _rounds = Precompiled(_rounds_queryset, user_id=int, now=datetime.datetime, program_ids=list)
    rows = _rounds(user_id=user.pk, now=timezone.now(), program_ids=[1, 2], limit=13, offset=0)

What keeps it honest:
1. The queryset is built and compiled twice, with two different sets of stand-ins. The two
   SQL texts must be the same, every stand-in must appear among the parameters as itself,
   and every other parameter must be the same in both builds. So a builder that derives a
   value from an argument (`round_date__year=month.year` becomes date bounds) or reads the
   clock itself (`timezone.now()` inside it) is refused with ImproperlyConfigured the first
   time it is called, in every test that reaches it, instead of silently freezing a value.
2. A list argument (`program__in=ids`) compiles one SQL text per length of the list, and
   must not be empty (the caller returns no rows without asking).
3. The compiled state is kept per thread (a compiler is bound to its thread's connection)
   and a call returns a list, read at once, so no lazy queryset outlives its parameters.
4. `limit`/`offset` are appended as parameters; a builder must not slice.

Use it only where the measured compile time is a large share of a page's time; an ordinary
queryset is clearer everywhere else.
"""

import datetime
import threading
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet

_SCALARS = {
    int: lambda build, i: 2_000_000_000 + 1000 * build + i,
    datetime.datetime: lambda build, i: datetime.datetime(1901 + build, 2, 3, 4, 5, 6, 10 + i, tzinfo=datetime.UTC),
    datetime.date: lambda build, i: datetime.date(1901 + build, 2, 3 + i),
    str: lambda build, i: f"stand-in {build}.{i}",
}


class Precompiled:
    """`build(**arguments) -> QuerySet`, compiled once a process; call with the arguments'
    real values (and `limit`, `offset`) for the list of rows."""

    def __init__(self, build: Callable[..., QuerySet], **kinds: type) -> None:
        for name, kind in kinds.items():
            if kind is not list and kind not in _SCALARS:
                raise ImproperlyConfigured(f"{build.__name__}: no stand-in for {name} of type {kind!r}")
        self._build = build
        self._kinds = kinds
        self._local = threading.local()

    def __call__(self, *, limit: int | None = None, offset: int = 0, **values: Any) -> list[Model | Any]:
        if set(values) != set(self._kinds):
            raise TypeError(f"{self._build.__name__} takes {sorted(self._kinds)}, not {sorted(values)}")
        shape = tuple(len(values[name]) for name, kind in self._kinds.items() if kind is list)
        if 0 in shape:  # `field__in=[]` has no SQL: the caller knows the answer is no rows
            raise ValueError(f"{self._build.__name__}: a list argument is empty; return no rows before calling")
        compiled = self._compiled(shape)
        params = [slot.fill(values) for slot in compiled.slots]
        sql = compiled.sql
        if limit is not None:
            sql, params = f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset]
        compiled.compiler.as_sql = lambda *args, **kwargs: (sql, tuple(params))
        queryset = QuerySet(model=compiled.queryset.model, query=compiled.queryset.query, using=compiled.queryset.db)
        queryset._prefetch_related_lookups = compiled.queryset._prefetch_related_lookups
        queryset._iterable_class = compiled.queryset._iterable_class  # values() and values_list() too
        queryset._fields = compiled.queryset._fields
        return list(queryset)

    def _compiled(self, shape: tuple[int, ...]) -> "_Compiled":
        cache = getattr(self._local, "by_shape", None)
        if cache is None:
            cache = self._local.by_shape = {}
        if shape not in cache:
            cache[shape] = self._compile(shape)
        return cache[shape]

    def _stand_ins(self, build: int, shape: tuple[int, ...]) -> dict[str, Any]:
        lengths = iter(shape)
        stand_ins = {}
        for position, (name, kind) in enumerate(self._kinds.items()):
            if kind is list:
                stand_ins[name] = [_SCALARS[int](build, 100 * (position + 1) + i) for i in range(next(lengths))]
            else:
                stand_ins[name] = _SCALARS[kind](build, position)
        return stand_ins

    def _compile(self, shape: tuple[int, ...]) -> "_Compiled":
        name = self._build.__name__
        first, second = self._stand_ins(0, shape), self._stand_ins(1, shape)
        queryset = self._build(**first)
        if queryset.query.is_sliced:
            raise ImproperlyConfigured(f"{name}: pass limit and offset to the call; the builder must not slice")
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        again, params_again = self._build(**second).query.get_compiler(using=queryset.db).as_sql()
        if sql != again or len(params) != len(params_again):
            raise ImproperlyConfigured(f"{name}: its SQL depends on its arguments' values")
        where_first = _positions(first)
        where_second = _positions(second)
        slots = []
        for value, value_again in zip(params, params_again, strict=True):
            slot = where_first.get(_key(value))
            if slot is not None and slot == where_second.get(_key(value_again)):
                slots.append(_Argument(*slot))
            elif slot is None and _key(value) not in where_second and value == value_again:
                slots.append(_Constant(value))
            else:
                raise ImproperlyConfigured(
                    f"{name}: a parameter ({value!r}) is derived from an argument or from the clock; "
                    "pass what it needs as an argument"
                )
        unused = set(where_first.values()) - {(slot.name, slot.index) for slot in slots if isinstance(slot, _Argument)}
        if unused:
            names = sorted({slot_name for slot_name, _ in unused})
            raise ImproperlyConfigured(f"{name}: the arguments {names} do not reach the SQL as given")
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return _Compiled(queryset=queryset, compiler=compiler, sql=sql, slots=tuple(slots))


class _Constant:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def fill(self, values: dict[str, Any]) -> Any:
        return self.value


class _Argument:
    __slots__ = ("name", "index")

    def __init__(self, name: str, index: int | None) -> None:
        self.name, self.index = name, index

    def fill(self, values: dict[str, Any]) -> Any:
        value = values[self.name]
        return value if self.index is None else value[self.index]


class _Compiled:
    __slots__ = ("queryset", "compiler", "sql", "slots")

    def __init__(self, *, queryset: QuerySet, compiler, sql: str, slots: tuple) -> None:
        self.queryset, self.compiler, self.sql, self.slots = queryset, compiler, sql, slots


def _key(value: Any) -> tuple:
    return (type(value), value) if not isinstance(value, list | dict | set) else (type(value), id(value))


def _positions(stand_ins: dict[str, Any]) -> dict[tuple, tuple[str, int | None]]:
    positions = {}
    for name, value in stand_ins.items():
        if isinstance(value, list):
            for i, item in enumerate(value):
                positions[_key(item)] = (name, i)
        else:
            positions[_key(value)] = (name, None)
    return positions
