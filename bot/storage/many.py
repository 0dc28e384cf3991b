"""One statement with many rows, handed to the driver as plain tuples.

`session.execute(statement, rows)` builds every row's parameters in SQLAlchemy: a dict per row
(`construct_params`), then a lookup and a bind processor per column: about half of the 8–10 %
of a burst's server CPU spent preparing statements (`_init_compiled`) went to the rows a chat
batch writes at its end (docs/performance.md). Here the statement is compiled once per dialect
and set of keys, and each row becomes one tuple in the compiled statement's parameter order,
through the same bind processors SQLAlchemy would use (aware datetimes, JSON): the driver
receives the very values it received before.

Only what SQLAlchemy would send unchanged takes this path: a positional statement whose every
parameter comes from the rows, with no Python-side defaults to fill in, nothing expanded at
execution and nothing returned. Anything else goes through `session.execute` as before. ORM
execution events (`do_orm_execute`) do not see these rows; engine events do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True, slots=True)
class _Plan:
    sql: str
    keys: tuple[str, ...]  # the rows' keys in the statement's parameter order
    processed: tuple[tuple[int, Callable[[Any], Any]], ...]  # (position, bind processor) where there is one
    picked: Callable[[dict[str, Any]], Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "picked", itemgetter(*self.keys))

    def values(self, row: dict[str, Any]) -> tuple[Any, ...]:
        picked = self.picked(row)
        values = list(picked) if len(self.keys) > 1 else [picked]
        for position, process in self.processed:
            values[position] = process(values[position])
        return tuple(values)


_PLANS: dict[tuple[Any, str, frozenset[str]], _Plan | None] = {}


def plan(statement: Any, dialect: Dialect, keys: frozenset[str]) -> _Plan | None:
    """The statement's SQL and parameter order for rows with these keys; None when SQLAlchemy
    would do more per row than bind them (see the module's docstring)."""
    key = (statement, dialect.name, keys)
    if key not in _PLANS:
        _PLANS[key] = _planned(statement, dialect, keys)
    return _PLANS[key]


def _planned(statement: Any, dialect: Dialect, keys: frozenset[str]) -> _Plan | None:
    compiled: Any = statement.compile(dialect=dialect, column_keys=sorted(keys), for_executemany=True)
    order = compiled.positiontup
    plain = (
        compiled.positional and order is not None and set(order) <= keys
        and not (compiled.insert_prefetch or compiled.update_prefetch or compiled.post_compile_params
                 or compiled.literal_execute_params or compiled.escaped_bind_names or compiled.has_out_parameters
                 or compiled.effective_returning or compiled.schema_translate_map)
    )
    if not plain:
        return None
    processors = compiled._bind_processors  # what construct_params' caller applies per key
    chosen = tuple(processors.get(name) for name in order)
    if not all(process is None or callable(process) for process in chosen):  # a tuple type's processors
        return None
    return _Plan(compiled.string, tuple(order), tuple((at, process) for at, process in enumerate(chosen) if process))


async def execute_many(session: AsyncSession, statement: Any, rows: Sequence[dict[str, Any]]) -> None:
    """`session.execute(statement, rows)`, each row bound once by the plan when there is one."""
    connection = await session.connection()
    keys = frozenset(rows[0])
    found = plan(statement, connection.dialect, keys) if all(row.keys() == keys for row in rows) else None
    if found is None:
        await session.execute(statement, rows)
    else:
        await connection.exec_driver_sql(found.sql, [found.values(row) for row in rows])
