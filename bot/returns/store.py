"""Return photos in the database: stored once per sender and content, attached to one request."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.returns.photos import UPLOAD, Photo, PhotoRefused
from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.models import Identity, ReturnPhoto, ReturnRequest
from untrusted.fields import whole_number


async def keep_photo(session: AsyncSession, owner: str, photo: Photo, request_id: int | None, now: datetime) -> int:
    """The stored photo's id; the same bytes from the same sender are the row already there."""
    await session.execute(insert_ignoring_conflicts(session, ReturnPhoto.__table__), {
        "request_id": request_id, "owner": owner, "content_type": photo.content_type, "size": len(photo.data),
        "digest": photo.digest, "data": photo.data, "created_at": now,
    })
    stored = await session.scalar(select(ReturnPhoto.id).where(ReturnPhoto.owner == owner,
                                                               ReturnPhoto.digest == photo.digest))
    assert stored is not None
    if request_id is not None:
        await _attach(session, stored, request_id)
    return stored


async def claim_upload(session: AsyncSession, owner: str, reference: str, request_id: int) -> None:
    """A web chat upload (`upload:<id>`) becomes this request's photo, only if this sender uploaded it."""
    photo_id = whole_number(reference[len(UPLOAD):])
    found = None if photo_id is None else await session.scalar(
        select(ReturnPhoto.id).where(ReturnPhoto.id == photo_id, ReturnPhoto.owner == owner))
    if found is None:
        raise PhotoRefused("unavailable")
    await _attach(session, found, request_id)


async def _attach(session: AsyncSession, photo_id: int, request_id: int) -> None:
    table = ReturnPhoto.__table__
    await session.execute(update(table).where(table.c.id == photo_id).values(request_id=request_id))


async def forget_returns(session: AsyncSession, contact_id: int) -> None:
    """A customer who asked for their data to be deleted: their photos, refund account and the size
    or colour they typed go; the requests stay, anonymous, for the shop's counts."""
    addresses = select(Identity.channel.concat(":").concat(Identity.user_id)).where(Identity.contact_id == contact_id)
    theirs = select(ReturnRequest.id).where(ReturnRequest.contact_id == contact_id)
    await session.execute(delete(ReturnPhoto).where(or_(ReturnPhoto.request_id.in_(theirs), ReturnPhoto.owner.in_(addresses))))
    await session.execute(update(ReturnRequest).where(ReturnRequest.contact_id == contact_id)
                          .values(refund_account=None, exchange_wish=None))
