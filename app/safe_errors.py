"""Exception text fit for a log: what failed and where, never the data it failed on.

Some exceptions quote the data they refused: SQLAlchemy lists a statement's parameters,
PostgreSQL adds "Failing row contains (…)" or "Key (phone)=(…)", asyncpg quotes an argument
it could not encode, pydantic repeats the input it rejected. Logged with a traceback, these
put customers' names, phones and messages into the log. They are described instead by kind,
SQLSTATE, the names of the constraint, table and column, and the SQL statement (which
holds placeholders, not values). Other exceptions keep their own text.
"""

from __future__ import annotations

import traceback

from pydantic import ValidationError
from sqlalchemy.exc import StatementError

# PostgreSQL's driver (and SQLAlchemy's adapter of it) quote values; SQLite's messages never do.
VALUE_QUOTING_MODULES = ("asyncpg", "sqlalchemy.dialects.postgresql")
POSTGRES_NAMES = ("schema_name", "table_name", "column_name", "constraint_name")
CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def describe(failure: BaseException) -> str:
    """The exception's one-line text without the data it carries."""
    if isinstance(failure, StatementError):
        cause = failure.orig
        if cause is None:
            return f"[SQL: {failure.statement}]"
        return f"({_name(cause)}) {describe(cause)}\n[SQL: {failure.statement}]"
    if type(failure).__module__.startswith(VALUE_QUOTING_MODULES):
        found = [f"{name}={value}" for name in POSTGRES_NAMES if (value := getattr(failure, name, None))]
        sqlstate = getattr(failure, "sqlstate", None)
        return " ".join([*([f"SQLSTATE {sqlstate}"] if sqlstate else []), *found]) or "(details withheld)"
    if isinstance(failure, ValidationError):
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or '(input)'}: {error['type']}"
            for error in failure.errors(include_url=False, include_context=False, include_input=False)
        )
        return f"{failure.error_count()} validation error(s) for {failure.title}: {problems}"
    return str(failure)


def render_traceback(failure: BaseException) -> str:
    """The traceback Python would print, chained exceptions included, each described safely."""
    chain = [failure]
    while (earlier := _earlier(chain[-1])) is not None and all(earlier is not seen for seen in chain):
        chain.append(earlier)
    blocks = []
    for later, current in zip([None, *chain], chain):
        separator = "" if later is None else (CAUSE if later.__cause__ is current else CONTEXT)
        frames = "".join(traceback.format_tb(current.__traceback__))
        blocks.append(f"Traceback (most recent call last):\n{frames}{_name(current)}: {describe(current)}\n{separator}")
    return "".join(reversed(blocks)).rstrip("\n")


def _earlier(failure: BaseException) -> BaseException | None:
    if failure.__cause__ is not None:
        return failure.__cause__
    return None if failure.__suppress_context__ else failure.__context__


def _name(failure: BaseException) -> str:
    kind = type(failure)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
