"""Coupon redemption and the customer-experience metrics the shop owner watches."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web

from app.api.errors import problem, read_model
from app.api.schemas import RedeemIn, iso
from app.appkeys import CLOCK, SESSIONS, SETTINGS
from app.figures import CHANNELS, MAX_PERIOD, Scope, figures
from bot.counters import COUPONS_REDEEMED
from bot.experiments.report import reports
from bot.coupons import RedeemRefused, redeem

DEFAULT_DAYS = 30
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
    COUPONS_REDEEMED.inc()
    return web.json_response(body)


def scope_of(request: web.Request) -> Scope | web.Response:
    """The period (`from`, `to`: ISO dates or datetimes, shop time when naive; by default the
    last 30 shop days, today included) and `channel` a figures request asks for, or the 400
    saying what is wrong."""
    settings, now = request.app[SETTINGS], request.app[CLOCK]()
    zone = settings.zone
    try:
        today = now.astimezone(zone).date()
        start = _moment(request.query.get("from") or (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat(), zone)
        end = _moment(request.query.get("to") or today.isoformat(), zone, whole_day=True)
    except ValueError:
        return problem(400, "invalid_period", "from/to must be ISO dates or datetimes")
    if end <= start:
        return problem(400, "invalid_period", "from must be before to")
    if end - start > MAX_PERIOD:
        return problem(400, "invalid_period", f"a period is at most {MAX_PERIOD.days} days")
    channel = request.query.get("channel") or None
    if channel is not None and channel not in CHANNELS:
        return problem(400, "invalid_channel", f"channel is one of {', '.join(CHANNELS)}")
    return Scope(start, end, zone, channel)


def _moment(text: str, zone: ZoneInfo, *, whole_day: bool = False) -> datetime:
    """A datetime as given (shop time when naive); a bare date is its midnight, or with
    `whole_day` the next midnight, so `to=2026-11-30` includes the 30th."""
    moment = datetime.fromisoformat(text)
    if whole_day and len(text) == 10:
        moment += timedelta(days=1)
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


async def metrics(request: web.Request) -> web.Response:
    scope = scope_of(request)
    if isinstance(scope, web.Response):
        return scope
    body = await figures(request.app[SESSIONS], scope)
    async with request.app[SESSIONS]() as session:  # issue 16: the latest experiments, whatever the period
        body["experiments"] = await reports(session, request.app[CLOCK]())
    return web.json_response(body)
