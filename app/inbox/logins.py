"""Staff logins recorded server-side, so that logging out or a new password really ends them.

The session cookie is encrypted, not stored: once issued it cannot be recalled, and a copy
of it would stay valid until it expires. So the cookie only carries a random token, and a
request is signed in only while the database still holds that token's login; ending a
login deletes the row, on every replica at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Staff, StaffSession

LIFETIME = timedelta(hours=12)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def start(db: AsyncSession, staff_id: int, now: datetime) -> str:
    """Record a new login and return the token its cookie carries; expired logins are swept here."""
    await db.execute(delete(StaffSession).where(StaffSession.started_at <= now - LIFETIME))
    token = secrets.token_urlsafe(32)
    db.add(StaffSession(id=_digest(token), staff_id=staff_id, started_at=now))
    return token


async def holder(db: AsyncSession, token: str, now: datetime) -> Staff | None:
    """Who is signed in with this token, if its login is still live."""
    return await db.scalar(
        select(Staff).join(StaffSession, StaffSession.staff_id == Staff.id)
        .where(StaffSession.id == _digest(token), StaffSession.started_at > now - LIFETIME)
    )


async def end(db: AsyncSession, token: str) -> None:
    await db.execute(delete(StaffSession).where(StaffSession.id == _digest(token)))


async def end_all(db: AsyncSession, staff_id: int) -> None:
    await db.execute(delete(StaffSession).where(StaffSession.staff_id == staff_id))
