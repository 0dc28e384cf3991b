"""Coupon redemption and the customer-experience metrics the shop owner watches."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.errors import problem, read_model
from app.api.schemas import RedeemIn, iso
from app.appkeys import CLOCK, SESSIONS
from bot.coupons import RedeemRefused, redeem
from bot.nlu import Intent
from bot.outbox import OutboxKind, OutboxStatus
from bot.storage.models import Coupon, Handoff, MessageRecord, Outbox, SurveyAnswer
from bot.surveys import LOW, SurveyKind

REFUSALS = {"not_found": (404, "no such coupon"), "used": (409, "the coupon was already used"),
            "expired": (409, "the coupon has expired")}


async def redeem_coupon(request: web.Request) -> web.Response:
    data = await read_model(request, RedeemIn)
    if isinstance(data, web.Response):
        return data
    try:
        async with request.app[SESSIONS].begin() as session:
            coupon = await redeem(session, request.match_info["code"], data.order_code, request.app[CLOCK]())
            body = {"code": coupon.code, "percent": coupon.percent, "redeemed_at": iso(coupon.redeemed_at),
                    "order_code": coupon.redeemed_order_code}
    except RedeemRefused as refused:
        status, detail = REFUSALS[refused.reason]
        return problem(status, f"coupon_{refused.reason}", detail)
    return web.json_response(body)


def _period(request: web.Request) -> tuple[datetime, datetime] | web.Response:
    now = request.app[CLOCK]()
    try:
        start = datetime.fromisoformat(request.query["from"]) if "from" in request.query else now - timedelta(days=30)
        end = datetime.fromisoformat(request.query["to"]) if "to" in request.query else now
    except ValueError:
        return problem(400, "invalid_period", "from/to must be ISO dates or datetimes with a timezone")
    if start.tzinfo is None or end.tzinfo is None:
        tz = now.tzinfo
        start, end = start.replace(tzinfo=start.tzinfo or tz), end.replace(tzinfo=end.tzinfo or tz)
    return start, end


async def metrics(request: web.Request) -> web.Response:
    period = _period(request)
    if isinstance(period, web.Response):
        return period
    start, end = period
    async with request.app[SESSIONS]() as session:
        body = {
            "from": start.isoformat(), "to": end.isoformat(),
            **await _surveys(session, start, end),
            "coupons": await _coupons(session, start, end),
            "notices_sent": await _notices(session, start, end),
            "wismo": await _wismo(session, start, end),
            "handoffs": await _handoffs(session, start, end),
        }
    return web.json_response(body)


async def _scores(session: AsyncSession, kind: SurveyKind, start: datetime, end: datetime) -> list[int]:
    rows = await session.scalars(
        select(SurveyAnswer.score).where(SurveyAnswer.kind == kind, SurveyAnswer.answered_at.between(start, end))
    )
    return list(rows)


async def _surveys(session: AsyncSession, start: datetime, end: datetime) -> dict[str, Any]:
    csat, nps, ces = [await _scores(session, k, start, end) for k in (SurveyKind.CSAT, SurveyKind.NPS, SurveyKind.CES)]
    return {
        "csat": {"answers": len(csat), "mean": _mean(csat), "satisfied_pct": _pct(sum(s >= 4 for s in csat), len(csat))},
        "nps": {"answers": len(nps), "score": _nps(nps)},
        "ces": {"answers": len(ces), "mean": _mean(ces)},
        "recoveries_opened": sum(s <= LOW[SurveyKind.CSAT] for s in csat) + sum(s <= LOW[SurveyKind.NPS] for s in nps)
        + sum(s <= LOW[SurveyKind.CES] for s in ces),
    }


async def _coupons(session: AsyncSession, start: datetime, end: datetime) -> dict[str, Any]:
    issued = await session.scalar(select(func.count()).where(Coupon.issued_at.between(start, end))) or 0
    redeemed = await session.scalar(
        select(func.count()).where(Coupon.issued_at.between(start, end), Coupon.redeemed_at.is_not(None))
    ) or 0
    return {"issued": issued, "redeemed": redeemed, "redemption_rate_pct": _pct(redeemed, issued)}


async def _notices(session: AsyncSession, start: datetime, end: datetime) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(Outbox.kind, Outbox.channel, func.count())
        .where(Outbox.status == OutboxStatus.SENT, Outbox.sent_at.between(start, end), Outbox.kind != OutboxKind.REPLY)
        .group_by(Outbox.kind, Outbox.channel)
    )
    return [{"kind": kind, "channel": channel, "sent": n} for kind, channel, n in rows.all()]


async def _wismo(session: AsyncSession, start: datetime, end: datetime) -> dict[str, Any]:
    """Where-is-my-order questions the bot answered itself (deflected from staff)."""
    asked = await session.scalar(
        select(func.count()).where(MessageRecord.intent == Intent.WHERE_IS_MY_ORDER,
                                   MessageRecord.created_at.between(start, end))
    ) or 0
    return {"questions": asked}


async def _handoffs(session: AsyncSession, start: datetime, end: datetime) -> dict[str, Any]:
    """Time to the first staff reply and to resolution, over handoffs opened in the period."""
    rows = (await session.execute(
        select(Handoff.requested_at, Handoff.first_response_at, Handoff.resolved_at)
        .where(Handoff.requested_at.between(start, end))
    )).all()
    first = [(f - r).total_seconds() for r, f, _ in rows if f is not None]
    resolved = [(d - r).total_seconds() for r, _, d in rows if d is not None]
    return {"opened": len(rows), "first_response_seconds_mean": _mean(first),
            "resolution_seconds_mean": _mean(resolved)}


def _mean(values: list[float] | list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _nps(scores: list[int]) -> float | None:
    if not scores:
        return None
    return round(100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores), 1)
