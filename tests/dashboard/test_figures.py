"""Each figure of app/figures.py, on SQLite and on PostgreSQL, from rows written as the bot writes them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app import figures
from app.figures import Scope
from app.history import generate, write
from bot.storage.models import (
    Contact, Conversation, Coupon, Handoff, Identity, MessageRecord, Order, Outbox, Staff, SurveyAnswer,
)
from tests.dashboard.expected import assert_figures_match, expected

Sessions = async_sessionmaker[AsyncSession]
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
END = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)
START = END - timedelta(days=30)
SCOPE = Scope(START, END, ZONE)
DAY = timedelta(days=1)


class Shop:
    """Rows as the bot leaves them: customers on a channel, their orders, messages and surveys."""

    def __init__(self, sessions: Sessions) -> None:
        self.sessions, self.serial = sessions, 0
        self.rows: list[object] = []

    def next(self) -> int:
        self.serial += 1
        return self.serial

    def customer(self, channel: str = "telegram") -> int:
        number = self.next()
        self.rows += [Contact(id=number, name=f"Khách {number}", created_at=START),
                      Identity(id=number, contact_id=number, channel=channel, user_id=str(number), created_at=START),
                      Conversation(id=number, contact_id=number, created_at=START)]
        return number

    def order(self, customer: int, status: str = "delivered", at: datetime = END - DAY, total: int = 100_000) -> str:
        number = self.next()
        self.rows.append(Order(id=number, code=f"HM{number}", contact_id=customer, total=total, status=status,
                               status_at=at, created_at=at, updated_at=at))
        return f"HM{number}"

    def message(self, customer: int, at: datetime, *, intent: str | None = None, direction: str = "in",
                channel: str = "telegram", outbox_id: int | None = None, status: str = "received",
                kind: str = "text") -> None:
        self.rows.append(MessageRecord(id=self.next(), conversation_id=customer, direction=direction, kind=kind,
                                       author="customer" if direction == "in" else "bot", channel=channel, intent=intent,
                                       outbox_id=outbox_id, status=status, created_at=at))

    def handoff(self, customer: int, at: datetime, first: timedelta | None = None, resolved: timedelta | None = None,
                staff_id: int | None = None) -> None:
        self.rows.append(Handoff(id=self.next(), conversation_id=customer, reason="requested", requested_at=at,
                                 first_response_at=at + first if first is not None else None,
                                 resolved_at=at + resolved if resolved is not None else None, staff_id=staff_id))

    def outbox(self, customer: int, kind: str, key: str, at: datetime, *, channel: str = "telegram",
               status: str = "sent", reason: str | None = None) -> int:
        number = self.next()
        self.rows.append(Outbox(id=number, dedupe_key=key, kind=kind, contact_id=customer, conversation_id=customer,
                                channel=channel, recipient=f"{channel}:{customer}", body={}, due_at=at, status=status,
                                last_error=reason, created_at=at, sent_at=at if status == "sent" else None))
        return number

    def answer(self, customer: int, kind: str, score: int, at: datetime = END - DAY) -> None:
        number = self.next()
        self.rows.append(SurveyAnswer(id=number, survey_key=f"{kind}:{number}", kind=kind, subject_id=number,
                                      contact_id=customer, score=score, answered_at=at))

    async def figures(self, scope: Scope = SCOPE) -> dict[str, Any]:
        async with self.sessions.begin() as session:
            for row in self.rows:
                session.add(row)
                await session.flush()  # in the order given: the later rows refer to the earlier
        self.rows = []
        return await figures.figures(self.sessions, scope)


@pytest.fixture
def shop(sessions: Sessions) -> Shop:
    return Shop(sessions)


async def test_a_wismo_question_the_bot_settled_alone_is_deflected(shop: Shop) -> None:
    lan = shop.customer()
    shop.message(lan, END - DAY, intent="where_is_my_order")
    assert (await shop.figures())["wismo"] == {"questions": 1, "deflected": 1, "deflection_pct": 100.0,
                                                   "delivered_orders": 0, "per_100_delivered": None}


async def test_a_wismo_question_a_person_took_within_a_day_is_not_deflected(shop: Shop) -> None:
    lan, minh = shop.customer(), shop.customer()
    shop.message(lan, END - 3 * DAY, intent="where_is_my_order")
    shop.handoff(lan, END - 3 * DAY + timedelta(hours=5))
    shop.message(minh, END - 3 * DAY, intent="where_is_my_order")
    shop.handoff(minh, END - DAY)  # two days later: another matter
    wismo = (await shop.figures())["wismo"]
    assert (wismo["questions"], wismo["deflected"], wismo["deflection_pct"]) == (2, 1, 50.0)


async def test_a_wismo_question_asked_while_a_person_has_the_conversation_is_not_deflected(shop: Shop) -> None:
    lan = shop.customer()
    shop.handoff(lan, END - 5 * DAY)  # still open
    shop.message(lan, END - DAY, intent="where_is_my_order")
    assert (await shop.figures())["wismo"]["deflected"] == 0


async def test_wismo_contacts_are_counted_per_100_delivered_orders(shop: Shop) -> None:
    lan = shop.customer()
    for _ in range(4):
        shop.order(lan)
    shop.order(lan, status="in_transit")
    shop.message(lan, END - DAY, intent="where_is_my_order")
    assert (await shop.figures())["wismo"]["per_100_delivered"] == 25.0


async def test_notices_count_delivered_and_read_only_where_the_channel_reports_receipts(shop: Shop) -> None:
    lan, mai = shop.customer("zalo"), shop.customer("telegram")
    for status in ("read", "delivered", "sent"):
        row = shop.outbox(lan, "notice", f"notice:{status}", END - DAY, channel="zalo")
        shop.message(lan, END - DAY, direction="out", channel="zalo", outbox_id=row, status=status, kind="notice")
    row = shop.outbox(mai, "notice", "notice:tg", END - DAY)
    shop.message(mai, END - DAY, direction="out", outbox_id=row, status="sent", kind="notice")
    assert (await shop.figures())["notices"] == [
        {"kind": "notice", "channel": "telegram", "sent": 1, "delivered": None, "read": None},
        {"kind": "notice", "channel": "zalo", "sent": 3, "delivered": 2, "read": 1},
    ]


async def test_messages_held_back_by_the_sending_rules_are_counted_by_reason(shop: Shop) -> None:
    lan = shop.customer()
    for n, reason in enumerate(("opted out", "opted out", "window closed")):
        shop.outbox(lan, "thanks", f"thanks:{n}", END - DAY, status="skipped_policy", reason=reason)
    assert (await shop.figures())["skipped"] == [
        {"kind": "thanks", "channel": "telegram", "reason": "opted out", "count": 2},
        {"kind": "thanks", "channel": "telegram", "reason": "window closed", "count": 1},
    ]


async def test_csat_reads_mean_satisfied_share_and_response_rate_week_by_week(shop: Shop) -> None:
    lan = shop.customer()
    for n in range(4):
        shop.outbox(lan, "thanks", f"thanks:{n}", END - DAY)
    for score in (5, 4, 2):
        shop.answer(lan, "csat", score)
    csat = (await shop.figures())["surveys"]["csat"]
    assert (csat["answers"], csat["mean"], csat["satisfied_pct"], csat["asked"], csat["response_rate_pct"]) == (3, 3.67, 66.7, 4, 75.0)
    assert [(w["week"], w["answers"], w["asked"]) for w in csat["weeks"]] == [("2026-11-23", 3, 4)]  # that Monday, shop time


async def test_the_nps_score_is_promoters_minus_detractors_over_all_answers(shop: Shop) -> None:
    lan = shop.customer()
    for score in (10, 9, 8, 6, 0):
        shop.answer(lan, "nps", score)
    nps = (await shop.figures())["surveys"]["nps"]
    assert (nps["score"], nps["promoters"], nps["passives"], nps["detractors"]) == (0.0, 2, 1, 2)


async def test_a_low_score_counts_as_reached_once_a_person_answered_after_it(shop: Shop) -> None:
    lan, minh = shop.customer(), shop.customer()
    shop.answer(lan, "csat", 1, at=END - 2 * DAY)
    shop.handoff(lan, END - 2 * DAY, first=timedelta(minutes=5))
    shop.answer(minh, "nps", 3, at=END - 2 * DAY)
    shop.handoff(minh, END - 2 * DAY)  # nobody answered yet
    shop.answer(minh, "csat", 5)
    assert (await shop.figures())["low_scores"] == {"count": 2, "reached": 1, "reached_pct": 50.0}


async def test_coupon_revenue_sums_the_orders_the_redeemed_coupons_paid_for(shop: Shop) -> None:
    lan = shop.customer()
    first, second = shop.order(lan), shop.order(lan, total=450_000)
    shop.rows += [
        Coupon(id=1, code="CAMON1", contact_id=lan, order_id=int(first[2:]), percent=10, issued_at=END - 5 * DAY,
               expires_at=END + DAY, redeemed_at=END - DAY, redeemed_order_code=second),
        Coupon(id=2, code="CAMON2", contact_id=lan, order_id=int(second[2:]), percent=10, issued_at=END - DAY,
               expires_at=END + DAY),
    ]
    assert (await shop.figures())["coupons"] == {"issued": 2, "redeemed": 1, "redemption_rate_pct": 50.0, "revenue": 450_000}


async def test_handoff_times_are_medians_and_nearest_rank_p90_by_the_person_who_answered_first(shop: Shop) -> None:
    shop.rows.append(Staff(id=7, email="hoa@shop.vn", name="Hoa", password_hash="-", created_at=START))
    lan = shop.customer()
    for minutes in (1, 2, 3, 4, 5, 6, 7, 8, 9, 60):
        shop.handoff(lan, END - DAY, first=timedelta(minutes=minutes), resolved=timedelta(hours=1), staff_id=7)
    shop.handoff(lan, END - DAY)
    handoffs = (await shop.figures())["handoffs"]
    assert (handoffs["opened"], handoffs["first_response_median_s"], handoffs["first_response_p90_s"]) == (11, 330.0, 540.0)
    assert [(row["name"], row["opened"], row["resolved"]) for row in handoffs["by_staff"]] == [("Hoa", 10, 10), ("", 1, 0)]


async def test_cancellations_and_returns_are_counted_per_100_orders_placed(shop: Shop) -> None:
    lan = shop.customer()
    for status in ("delivered", "delivered", "cancelled", "returned", "returning"):
        shop.order(lan, status=status)
    shop.order(lan, status="cancelled", at=START - DAY)  # placed before the period
    assert (await shop.figures())["orders"] == {"placed": 5, "cancelled": 1, "cancelled_per_100": 20.0,
                                                "returns": 2, "returns_per_100": 40.0}


async def test_a_channel_scope_counts_only_customers_and_messages_on_that_channel(shop: Shop) -> None:
    lan, mai = shop.customer("zalo"), shop.customer("web")
    shop.order(lan, status="cancelled")
    shop.order(mai)
    shop.message(mai, END - DAY, intent="where_is_my_order", channel="web")
    on_zalo = await shop.figures(Scope(START, END, ZONE, "zalo"))
    assert (on_zalo["orders"]["placed"], on_zalo["orders"]["cancelled"], on_zalo["wismo"]["questions"]) == (1, 1, 0)


async def test_the_previous_period_is_as_long_and_ends_where_this_one_starts() -> None:
    before = SCOPE.previous()
    assert (before.start, before.end) == (START - timedelta(days=30), START)


async def test_every_figure_matches_a_count_over_a_generated_history_by_the_definitions(sessions: Sessions) -> None:
    history = generate(200, END, 8, [], seed=3)
    await write(sessions, history)
    got = await figures.figures(sessions, SCOPE)
    want = expected(history, START, END)
    assert_figures_match(got, want)
