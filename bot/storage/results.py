"""What an UPDATE, DELETE or INSERT … ON CONFLICT DO NOTHING changed."""

from __future__ import annotations

from typing import Any, Unpack, cast

from sqlalchemy import CursorResult, Result


def rows_changed(result: Result[Unpack[tuple[Any, ...]]]) -> int:
    """The row count of a DML statement's result.

    `AsyncSession.execute` is typed to return a plain `Result`, but a DML statement always gives a
    `CursorResult`, the only kind with a row count (SQLAlchemy's documented way is this cast).
    """
    return cast(CursorResult[Any], result).rowcount
