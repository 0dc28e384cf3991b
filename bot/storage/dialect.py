"""The few statements whose SQL differs between SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, any_, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

_BUILT: dict[tuple[str, Any, tuple[Any, ...]], Any] = {}


def insert_ignoring_conflicts(session: AsyncSession, table: Any, *returning: Any) -> Any:
    """INSERT … ON CONFLICT DO NOTHING [RETURNING …] for the session's dialect.

    Built once per dialect and table: statements are immutable (`.values()` returns a copy),
    and on hot paths (every reply, every carrier event) building them cost more than running
    them, so callers pass rows as parameters rather than through `.values()`.
    """
    dialect = session.get_bind().dialect.name
    key = (dialect, table, returning)
    if key not in _BUILT:
        statement = (sqlite if dialect == "sqlite" else postgresql).insert(table).on_conflict_do_nothing()
        _BUILT[key] = statement.returning(*returning) if returning else statement
    return _BUILT[key]


class OneOf(ColumnElement[bool]):
    """`column IN (:name)` on SQLite, `column = ANY(:name)` with one array parameter on PostgreSQL.

    An expanding `IN` is a different SQL text for every length of the list, and asyncpg prepares
    each text once per connection: batches of varying sizes each cost a prepare (a round trip)
    and crowd the prepared statement cache. `= ANY` is one text whatever the length. SQLite has
    no arrays, and `IN` uses its indexes; it keeps `IN`. Pass the list as the parameter `name`.
    """

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a comparison already: no `= 1` after it where booleans are integers
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement), ("name", InternalTraversal.dp_string)]

    def __init__(self, column: ColumnElement[Any], name: str) -> None:
        self.column, self.name = column, name


def one_of(column: Any, name: str) -> OneOf:
    return OneOf(column, name)


@compiles(OneOf)
def _in_list(element: OneOf, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.column.in_(bindparam(element.name, expanding=True)), **kw))


@compiles(OneOf, "postgresql")
def _any_of_array(element: OneOf, compiler: Any, **kw: Any) -> str:
    listed = bindparam(element.name, type_=postgresql.ARRAY(element.column.type))
    return str(compiler.process(element.column == any_(listed), **kw))
