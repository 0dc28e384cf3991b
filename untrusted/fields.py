"""Field types with bounds for the typed models of every edge (pydantic `Annotated` types).

Sizes are generous for real traffic and small enough that nothing downstream (a column, a
`datetime`, a log line) fails on them. Moments must fall between 2000 and 2100: earlier or
later is a broken or hostile clock, and years near 1 or 9999 overflow on a zone change.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field, StringConstraints

MAX_INT = 2**63 - 1  # a signed 64-bit column; nothing outside sends larger ids or amounts
INT32 = 2**31 - 1  # an INTEGER column on PostgreSQL
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2100, 1, 1, tzinfo=timezone.utc)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text any column can store: NUL dropped, lone surrogates (unencodable) replaced."""
    return _LONE_SURROGATE.sub("\ufffd", text.replace("\x00", ""))


def _whole_number_as_text(value: Any) -> Any:
    """Providers send ids as numbers or strings alike; other types stay wrong."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _sane_moment(moment: datetime) -> datetime:
    if not EARLIEST <= moment <= LATEST:
        raise ValueError("a moment between the years 2000 and 2100 is expected")
    return moment


def _sane_day(day: date) -> date:
    if not EARLIEST.date() <= day <= LATEST.date():
        raise ValueError("a date between the years 2000 and 2100 is expected")
    return day


Text = Annotated[str, StringConstraints(max_length=20_000), AfterValidator(clean_text)]
ShortText = Annotated[str, StringConstraints(max_length=1_000), AfterValidator(clean_text)]
Reference = Annotated[  # an id, a code or a status number; may be empty
    str, BeforeValidator(_whole_number_as_text), StringConstraints(strip_whitespace=True, max_length=128),
    AfterValidator(clean_text),
]
Code = Annotated[Reference, StringConstraints(min_length=1)]
Int64 = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]  # an id a BIGINT column holds
EpochSeconds = Annotated[int, Field(ge=0, le=int(LATEST.timestamp()))]
EpochMillis = Annotated[int, Field(ge=0, le=int(LATEST.timestamp()) * 1000)]
Moment = Annotated[AwareDatetime, AfterValidator(_sane_moment)]
Day = Annotated[date, AfterValidator(_sane_day)]


def whole_number(text: str, *, at_most: int = MAX_INT) -> int | None:
    """A number from a path, query or form, or None: ASCII digits only ("²".isdigit() is True)."""
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_INT))):
        return None
    number = int(text)
    return number if number <= at_most else None
