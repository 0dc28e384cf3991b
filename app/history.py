"""A shop's past, generated: orders over some weeks with the conversations, notices, surveys,
coupons and handoffs they would have caused. The demo seeds a few hundred orders so the
dashboard tells a story on first open (the bot settles more questions and scores rise week
by week); `bench.dashboard` seeds a million to time the dashboard's queries; tests seed a few
dozen and check each figure against the rows generated here.

Rows are plain dicts with their ids given, written in bulk (PostgreSQL's COPY when the driver
is asyncpg), because the ORM would take hours for a million orders.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Iterator, Mapping

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.figures import RECEIPTS
from bot.nlu import Intent
from bot.outbox import OutboxKind, OutboxStatus
from bot.storage.models import (
    Author, Contact, Conversation, ConversationMode, Coupon, Direction, Handoff, Identity, MessageRecord, MessageStatus,
    Order, Outbox, SurveyAnswer,
)
from bot.surveys import LOW, SurveyKind
from carriers.models import CanonicalStatus

CHANNEL_SHARES = {"zalo": 45, "messenger": 30, "telegram": 15, "web": 10}  # customers per channel, in parts
NAMES = ("Lan", "Minh", "Hoa", "Tuấn", "Mai", "Hùng", "Thảo", "Phương", "Dũng", "Ngọc", "Khoa", "Trang", "Vy", "Nam")
TITLES = ("Chị", "Anh")
WISMO_TEXTS = ("đơn em tới đâu rồi shop?", "don hang cua toi den dau roi", "dh e bh giao z shop", "shop ơi kiện hàng của mình đâu rồi")
SKIP_REASONS = ("outside the channel's messaging window and no approved template for this kind",
                "the customer opted out of proactive messages", "daily cap reached for this customer")
TABLES: tuple[Table, ...] = tuple(model.__table__ for model in (
    Contact, Identity, Conversation, Order, MessageRecord, Outbox, Coupon, SurveyAnswer, Handoff))


@dataclass
class History:
    """The generated rows, table by table, in the order they can be inserted."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {table.name: [] for table in TABLES})

    def add(self, table: Table, **row: Any) -> dict[str, Any]:
        self.rows[table.name].append(row)
        return row


class _Ids:
    def __init__(self, start: dict[str, int]) -> None:
        self._next = dict(start)

    def __call__(self, table: Table) -> int:
        self._next[table.name] += 1
        return self._next[table.name]


def generate(orders: int, end: datetime, weeks: float, staff_ids: list[int], *, seed: int = 14,
             start_ids: dict[str, int] | None = None, code_prefix: str = "HS",
             channels: Mapping[str, int] = CHANNEL_SHARES) -> History:
    """`orders` orders placed evenly at random over `weeks` weeks before `end`, everything they
    caused happening no later than `end`. Later weeks go better: fewer questions need a person,
    scores rise, staff answer faster. New customers come through `channels` in those shares."""
    rng, history = random.Random(seed), History()
    names, shares = tuple(channels), tuple(channels.values())
    ids = _Ids(start_ids or {table.name: 0 for table in TABLES})
    span = timedelta(weeks=weeks)
    start = end - span
    placed = sorted(start + span * rng.random() for _ in range(orders))
    customers: list[dict[str, Any]] = []
    for number, at in enumerate(placed):
        progress = (at - start) / span  # 0 at the start of the history, 1 at its end
        if customers and rng.random() < 0.3:
            customer = rng.choice(customers)
        else:
            customer = _customer(history, ids, rng, at, rng.choices(names, shares)[0])
            customers.append(customer)
        _order(history, ids, rng, customer, f"{code_prefix}{100000 + number}", at, end, progress, staff_ids)
    return history


def _customer(history: History, ids: _Ids, rng: random.Random, at: datetime, channel: str) -> dict[str, Any]:
    contact_id = ids(Contact.__table__)
    name = f"{rng.choice(TITLES)} {rng.choice(NAMES)}"
    phone = f"09{rng.randrange(10**8):08d}"
    history.add(Contact.__table__, id=contact_id, name=name, phone=phone, phone_verified=True, language="vi",
                opted_out_at=None, notices_off=False, created_at=at, last_inbound_at=None, last_channel=channel)
    history.add(Identity.__table__, id=ids(Identity.__table__), contact_id=contact_id, channel=channel,
                user_id=f"h{contact_id}", display_name=name, last_inbound_at=None, created_at=at)
    conversation = history.add(
        Conversation.__table__, id=ids(Conversation.__table__), contact_id=contact_id, mode=ConversationMode.BOT.value,
        handoff_reason=None, assigned_staff_id=None, version=0, offered=[], misses=0, awaiting=None, resolved_at=None,
        unread=0, last_message_at=None, handoff_at=None, created_at=at)
    return {"contact": contact_id, "channel": channel, "name": name, "phone": phone, "conversation": conversation,
            "coupon": None, "rounds": 0}


def _order(history: History, ids: _Ids, rng: random.Random, customer: dict[str, Any], code: str, at: datetime,
           end: datetime, progress: float, staff_ids: list[int]) -> None:
    order_id, total = ids(Order.__table__), rng.randrange(150, 2000) * 1000
    delivered_at = at + timedelta(hours=rng.uniform(30, 96))
    roll = rng.random()
    status, status_at = (
        (CanonicalStatus.CANCELLED, at + timedelta(hours=rng.uniform(1, 20))) if roll < 0.05 - 0.02 * progress else
        (CanonicalStatus.RETURNED, delivered_at + timedelta(days=3)) if roll < 0.08 - 0.02 * progress else
        (CanonicalStatus.RETURNING, delivered_at) if roll < 0.09 - 0.02 * progress else
        (CanonicalStatus.DELIVERED, delivered_at))
    if status_at > end:
        status, status_at = CanonicalStatus.IN_TRANSIT, at + timedelta(hours=12)
    history.add(Order.__table__, id=order_id, code=code, contact_id=customer["contact"], customer_name=customer["name"],
                phone=customer["phone"], items=[], total=total, currency="VND", carrier="ghn", tracking_code=None,
                eta=None, status=status.value, status_at=min(status_at, end), shipper_name=None, shipper_phone=None,
                last_location=None, placed_at=at, next_poll_at=None, created_at=at, updated_at=min(status_at, end),
                direction="outbound")
    coupon = customer["coupon"]
    if coupon is not None and coupon["expires_at"] > at and rng.random() < 0.6:
        coupon["redeemed_at"], coupon["redeemed_order_code"], customer["coupon"] = at, code, None
    if status is CanonicalStatus.CANCELLED:
        return
    if rng.random() < 0.35:
        _wismo(history, ids, rng, customer, at + timedelta(hours=rng.uniform(6, 28)), end, progress, staff_ids)
    _notices(history, ids, rng, customer, order_id, at, min(delivered_at, end))
    if status is CanonicalStatus.DELIVERED:
        _after_delivery(history, ids, rng, customer, order_id, delivered_at, end, progress, staff_ids)


def _message(history: History, ids: _Ids, customer: dict[str, Any], at: datetime, *, author: Author, text: str = "",
             intent: str | None = None, outbox_id: int | None = None, status: MessageStatus = MessageStatus.SENT,
             kind: str = "text") -> None:
    inbound = author is Author.CUSTOMER
    history.add(MessageRecord.__table__, id=ids(MessageRecord.__table__), conversation_id=customer["conversation"]["id"],
                direction=(Direction.IN if inbound else Direction.OUT).value, author=author.value,
                channel=customer["channel"], kind=kind, text=text, data={}, intent=intent,
                status=(MessageStatus.RECEIVED if inbound else status).value, provider_message_id=None,
                outbox_id=outbox_id, created_at=at)
    conversation = customer["conversation"]
    if conversation["last_message_at"] is None or conversation["last_message_at"] < at:
        conversation["last_message_at"] = at


def _outbox(history: History, ids: _Ids, rng: random.Random, customer: dict[str, Any], order_id: int | None,
            kind: OutboxKind, key: str, at: datetime, end: datetime, text: str) -> int | None:
    """A proactive message sent at `at` (or held back by policy now and then), with its record."""
    if at > end:
        return None
    outbox_id, skipped = ids(Outbox.__table__), rng.random() < 0.03
    history.add(Outbox.__table__, id=outbox_id, dedupe_key=key, kind=kind.value, contact_id=customer["contact"],
                conversation_id=customer["conversation"]["id"], order_id=order_id, channel=customer["channel"],
                recipient=f"{customer['channel']}:h{customer['contact']}", body={"text": text}, due_at=at,
                status=(OutboxStatus.SKIPPED_POLICY if skipped else OutboxStatus.SENT).value, attempts=0 if skipped else 1,
                claimed_by=None, claim_token=None, lease_until=None,
                last_error=rng.choice(SKIP_REASONS) if skipped else None, provider_message_id=None, created_at=at,
                sent_at=None if skipped else at)
    if skipped:
        return None
    receipt = MessageStatus.SENT
    if customer["channel"] in RECEIPTS:
        receipt = rng.choices((MessageStatus.READ, MessageStatus.DELIVERED, MessageStatus.SENT), (60, 30, 10))[0]
    _message(history, ids, customer, at, author=Author.BOT, text=text, outbox_id=outbox_id, status=receipt, kind=kind.value)
    return outbox_id


def _notices(history: History, ids: _Ids, rng: random.Random, customer: dict[str, Any], order_id: int,
             at: datetime, last: datetime) -> None:
    for step, share in (("picked_up", 0.2), ("out_for_delivery", 0.9), ("delivered", 1.0)):
        moment = at + (last - at) * share
        _outbox(history, ids, rng, customer, order_id, OutboxKind.NOTICE, f"notice:{order_id}:{step}", moment, last,
                f"Đơn của bạn: {step}")


def _wismo(history: History, ids: _Ids, rng: random.Random, customer: dict[str, Any], at: datetime, end: datetime,
           progress: float, staff_ids: list[int]) -> None:
    if at > end:
        return
    _message(history, ids, customer, at, author=Author.CUSTOMER, text=rng.choice(WISMO_TEXTS), intent=Intent.WHERE_IS_MY_ORDER.value)
    _message(history, ids, customer, at + timedelta(seconds=2), author=Author.BOT, text="Đơn của bạn đang được giao…")
    if rng.random() < 0.32 - 0.26 * progress:  # the customer still wanted a person
        _handoff(history, ids, rng, customer, "requested", at + timedelta(minutes=rng.uniform(1, 30)), end, progress, staff_ids)


def _after_delivery(history: History, ids: _Ids, rng: random.Random, customer: dict[str, Any], order_id: int,
                    delivered_at: datetime, end: datetime, progress: float, staff_ids: list[int]) -> None:
    thanks_at = delivered_at + timedelta(hours=2)
    if _outbox(history, ids, rng, customer, order_id, OutboxKind.THANKS, f"thanks:{order_id}", thanks_at, end,
               "Cảm ơn bạn đã mua hàng!") is None:
        return
    coupon = history.add(Coupon.__table__, id=ids(Coupon.__table__), code=f"CAMON{order_id:07d}", contact_id=customer["contact"],
                         order_id=order_id, percent=10, issued_at=thanks_at, expires_at=thanks_at + timedelta(days=30),
                         redeemed_at=None, redeemed_order_code=None, reminded_at=None)
    customer["coupon"] = coupon
    _answer(history, ids, rng, customer, SurveyKind.CSAT, str(order_id), thanks_at, end, progress, staff_ids)
    nps_at = delivered_at + timedelta(days=3)
    if rng.random() < 0.5 and _outbox(history, ids, rng, customer, order_id, OutboxKind.SURVEY, f"nps:{order_id}", nps_at,
                                      end, "Bạn có giới thiệu shop cho bạn bè không?") is not None:
        _answer(history, ids, rng, customer, SurveyKind.NPS, str(order_id), nps_at, end, progress, staff_ids)


SCORES = {  # (worst case weights at the start, best at the end) over each scale
    SurveyKind.CSAT: (range(1, 6), (8, 8, 14, 35, 35), (2, 2, 6, 30, 60)),
    SurveyKind.CES: (range(1, 6), (8, 10, 17, 35, 30), (2, 3, 10, 35, 50)),
    SurveyKind.NPS: (range(0, 11), (3, 2, 2, 3, 3, 5, 7, 12, 18, 22, 23), (1, 1, 1, 1, 1, 2, 4, 9, 15, 30, 35)),
}
ANSWERED = {SurveyKind.CSAT: 0.45, SurveyKind.NPS: 0.3, SurveyKind.CES: 0.5}


def _answer(history: History, ids: _Ids, rng: random.Random, customer: dict[str, Any], kind: SurveyKind, subject: str,
            asked_at: datetime, end: datetime, progress: float, staff_ids: list[int]) -> None:
    at = asked_at + timedelta(minutes=rng.uniform(2, 300))
    if at > end or rng.random() >= ANSWERED[kind]:
        return
    scale, worst, best = SCORES[kind]
    score = rng.choices(scale, [w + (b - w) * progress for w, b in zip(worst, best)])[0]
    history.add(SurveyAnswer.__table__, id=ids(SurveyAnswer.__table__), survey_key=f"{kind.value}:{subject}", kind=kind.value,
                subject_id=int(subject.split(".")[0]), contact_id=customer["contact"], score=score, comment=None, answered_at=at)
    _message(history, ids, customer, at, author=Author.CUSTOMER, text=str(score), kind="action")
    if score <= LOW[kind]:
        _handoff(history, ids, rng, customer, "low_score", at, end, progress, staff_ids, answered=rng.random() < 0.85)


def _handoff(history: History, ids: _Ids, rng: random.Random, customer: dict[str, Any], reason: str, at: datetime,
             end: datetime, progress: float, staff_ids: list[int], *, answered: bool = True) -> None:
    conversation = customer["conversation"]
    if at > end or conversation["mode"] == ConversationMode.HUMAN.value:
        return
    first = at + timedelta(minutes=rng.lognormvariate(2.6 - 0.8 * progress, 0.8)) if answered else None
    resolved = first + timedelta(minutes=rng.lognormvariate(3.8 - 0.5 * progress, 0.9)) if first else None
    staff = rng.choice(staff_ids) if staff_ids and first else None
    if first is not None and first > end:
        first = resolved = staff = None
    if resolved is not None and resolved > end:
        resolved = None
    handoff_id = ids(Handoff.__table__)
    history.add(Handoff.__table__, id=handoff_id, conversation_id=conversation["id"], reason=reason, requested_at=at,
                first_response_at=first, held_at=None, resolved_at=resolved, staff_id=staff)
    if first is not None:
        _message(history, ids, customer, first, author=Author.STAFF, text="Dạ shop xem ngay cho bạn ạ")
    if resolved is None:
        conversation.update(mode=ConversationMode.HUMAN.value, handoff_reason=reason, handoff_at=at, assigned_staff_id=staff,
                            unread=0 if first else 1)
        return
    customer["rounds"] += 1
    conversation.update(resolved_at=resolved, version=conversation["version"] + 1)
    subject = f"{conversation['id']}.{customer['rounds']}"
    if _outbox(history, ids, rng, customer, None, OutboxKind.SURVEY, f"ces:{subject}", resolved, end,
               "Shop hỗ trợ bạn có dễ dàng không?") is not None:
        _answer(history, ids, rng, customer, SurveyKind.CES, subject, resolved, end, progress, staff_ids)


async def next_ids(session: AsyncSession) -> dict[str, int]:
    """The highest id of each table, so generated rows go after what is already there."""
    return {table.name: int(await session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) for table in TABLES}


async def write(sessions: async_sessionmaker[AsyncSession], history: History, *, chunk: int = 20_000) -> None:
    """Insert every row, table by table; on PostgreSQL by COPY, then move each id sequence past the rows."""
    async with sessions.begin() as session:
        connection = await session.connection()
        postgres = connection.dialect.name == "postgresql"
        for table in TABLES:
            rows = history.rows[table.name]
            if not rows:
                continue
            if postgres:
                await _copy(connection, table, rows)
            else:
                for part in _chunks(rows, chunk):
                    await session.execute(insert(table), part)
        if postgres:
            for table in TABLES:
                await session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), (SELECT coalesce(max(id), 1) FROM {table.name}))"))


async def _copy(connection: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    """COPY through asyncpg: JSON columns go as text, which PostgreSQL casts on the way in."""
    raw = (await connection.get_raw_connection()).driver_connection
    columns = [column.name for column in table.columns]
    jsons = {column.name for column in table.columns if column.type.__class__.__name__ == "JSON"}
    records = [tuple(json.dumps(row[c]) if c in jsons else row[c] for c in columns) for row in rows]
    await raw.copy_records_to_table(table.name, records=records, columns=columns)


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]
