"""Customer segments computed from orders and survey answers, never tagged by hand.

new: one order; repeat: two or more; vip: spent at least HAUMAI_VIP_SPEND in all; at_risk: no
order for HAUMAI_AT_RISK_AFTER; detractor / promoter: their latest NPS answer was ≤ 6 / ≥ 9.
A customer may be in several. Care, check-in and win-back messages go only to the segments
their `*_SEGMENTS` setting names (empty: everyone). Cancelled orders are not purchases.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Iterable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.storage.models import Order, SurveyAnswer
from carriers.models import CanonicalStatus


class Segment(StrEnum):
    NEW = "new"
    REPEAT = "repeat"
    VIP = "vip"
    AT_RISK = "at_risk"
    DETRACTOR = "detractor"
    PROMOTER = "promoter"


@dataclass(frozen=True, slots=True)
class Facts:
    """What a customer's orders and answers say about them."""

    orders: int
    spend: int
    first_at: datetime
    last_at: datetime
    nps: int | None


def segments_of(facts: Facts, *, vip_spend: int, at_risk_after: timedelta, now: datetime) -> set[Segment]:
    found = {Segment.NEW if facts.orders == 1 else Segment.REPEAT}
    if facts.spend >= vip_spend:
        found.add(Segment.VIP)
    if now - facts.last_at >= at_risk_after:
        found.add(Segment.AT_RISK)
    if facts.nps is not None:
        found |= {Segment.DETRACTOR} if facts.nps <= 6 else {Segment.PROMOTER} if facts.nps >= 9 else set()
    return found


def wanted(setting: str) -> set[str]:
    """A `*_SEGMENTS` setting as a set of segment names; empty means everyone."""
    return {part.strip() for part in setting.split(",") if part.strip()}


async def facts_of(session: AsyncSession, contact_ids: Iterable[int] | None = None) -> dict[int, Facts]:
    """Each customer's facts (all customers with an order when `contact_ids` is None)."""
    purchases = select(Order.contact_id, func.count(), func.sum(Order.total), func.min(Order.created_at),
                       func.max(Order.created_at)).where(
        Order.contact_id.is_not(None), Order.status != CanonicalStatus.CANCELLED).group_by(Order.contact_id)
    answers = select(SurveyAnswer.contact_id, SurveyAnswer.score).where(
        SurveyAnswer.kind == "nps", SurveyAnswer.contact_id.is_not(None)).order_by(SurveyAnswer.answered_at)
    if contact_ids is not None:
        ids = list(contact_ids)
        purchases, answers = purchases.where(Order.contact_id.in_(ids)), answers.where(SurveyAnswer.contact_id.in_(ids))
    latest_nps: dict[int | None, int] = {contact_id: score for contact_id, score in await session.execute(answers)}
    return {
        contact_id: Facts(count, int(spend or 0), first, last, latest_nps.get(contact_id))
        for contact_id, count, spend, first, last in await session.execute(purchases) if contact_id is not None
    }


async def is_targeted(session: AsyncSession, contact_id: int, setting: str, settings: Settings, now: datetime) -> bool:
    """Whether a message limited to the segments in `setting` may go to this customer."""
    names = wanted(setting)
    if not names:
        return True
    facts = (await facts_of(session, [contact_id])).get(contact_id)
    if facts is None:
        return False
    found = segments_of(facts, vip_spend=settings.vip_spend, at_risk_after=settings.at_risk_delay, now=now)
    return bool(names & {segment.value for segment in found})


async def segment_report(session: AsyncSession, settings: Settings, now: datetime) -> dict[str, Any]:
    """Per segment: customers, repeat-purchase rate, churn (the share at risk) and CLV (the mean
    spend so far); and a cohort table by month of first purchase."""
    everyone = await facts_of(session)
    members: dict[str, list[Facts]] = defaultdict(list)
    cohorts: dict[str, list[Facts]] = defaultdict(list)
    for facts in everyone.values():
        for segment in segments_of(facts, vip_spend=settings.vip_spend, at_risk_after=settings.at_risk_delay, now=now):
            members[segment.value].append(facts)
        cohorts[facts.first_at.astimezone(settings.zone).strftime("%Y-%m")].append(facts)
    at_risk = settings.at_risk_delay
    return {
        "customers": len(everyone),
        "segments": {segment.value: _figures(members[segment.value], at_risk, now) for segment in Segment},
        "cohorts": [{"month": month, **_figures(group, at_risk, now)} for month, group in sorted(cohorts.items())],
    }


def _figures(group: list[Facts], at_risk: timedelta, now: datetime) -> dict[str, Any]:
    if not group:
        return {"customers": 0, "repeat_purchase_rate": None, "churn": None, "clv": None}
    return {
        "customers": len(group),
        "repeat_purchase_rate": round(sum(f.orders > 1 for f in group) / len(group), 4),
        "churn": round(sum(now - f.last_at >= at_risk for f in group) / len(group), 4),
        "clv": round(sum(f.spend for f in group) / len(group)),
    }
