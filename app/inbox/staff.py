"""Staff accounts: argon2 password hashes, `haumai staff add` and `haumai staff reset-password`."""

from __future__ import annotations

import re
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.inbox import logins
from bot.storage.models import Staff, StaffRole

HASHER = PasswordHasher()
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
ROLES = tuple(StaffRole)


class StaffError(ValueError):
    """A staff account cannot be created as asked; the message says why."""


async def add_staff(
    sessions: async_sessionmaker[AsyncSession], email: str, name: str, role: str, password: str, now: datetime
) -> Staff:
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise StaffError(f"{email!r} is not an email address")
    if role not in ROLES:
        raise StaffError(f"role must be one of {', '.join(ROLES)}")
    _check_password(password)
    async with sessions.begin() as session:
        if await session.scalar(select(Staff.id).where(Staff.email == email)) is not None:
            raise StaffError(f"{email} already has an account")
        staff = Staff(email=email, name=name or email.split("@")[0], role=role,
                      password_hash=HASHER.hash(password), created_at=now)
        session.add(staff)
    return staff


async def reset_password(sessions: async_sessionmaker[AsyncSession], email: str, password: str) -> None:
    """A new password also ends every login of that person: whoever knew the old one is out."""
    _check_password(password)
    async with sessions.begin() as session:
        staff = await session.scalar(select(Staff).where(Staff.email == email.strip().lower()))
        if staff is None:
            raise StaffError(f"{email} has no account")
        staff.password_hash = HASHER.hash(password)
        await logins.end_all(session, staff.id)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise StaffError(f"the password must have at least {MIN_PASSWORD} characters")


async def authenticate(session: AsyncSession, email: str, password: str) -> Staff | None:
    staff = await session.scalar(select(Staff).where(Staff.email == email.strip().lower()))
    if staff is None:
        HASHER.hash(password)  # the same work either way: timing does not reveal accounts
        return None
    try:
        HASHER.verify(staff.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return staff
