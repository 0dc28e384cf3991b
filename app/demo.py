"""`haumai demo`: a seeded shop, the sandbox carrier and the web chat, with no tokens.

Seeded orders sit in several statuses. Opening a demo customer's link on /chat links that
browser to the customer's orders (as a link the shop sends would), and from then on the
sandbox carrier moves their orders forward every few seconds, so the whole journey (notices,
thanks with coupon, CSAT) arrives in the browser by itself.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, TypedDict

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.api.orders import upsert_order
from app.api.schemas import OrderIn
from app.appkeys import RUNTIME
from app.history import generate, next_ids, write
from app.inbox.staff import add_staff, reset_password
from app.runtime import Runtime
from app.server import serve
from app.web import create_app
from app.webchat import DEMO_CUSTOMERS
from bot.config import Settings
from bot.linktokens import make_token
from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.models import KeyValue, Order, Staff, StaffRole
from carriers.sandbox import CARRIER_ID, JOURNEY, next_step, step_event, steps_to
from tracking.ingest import as_timeline_event
from tracking.timeline import TimelineEvent, apply_event

STEP_SECONDS = 25
DemoOrder = tuple[str, str, str, str, list[tuple[str, int, int]]]  # code, status, carrier, tracking, (item, qty, price)


class DemoCustomer(TypedDict):
    key: str
    name: str
    phone: str
    orders: list[DemoOrder]


CUSTOMERS: list[DemoCustomer] = [
    {"key": "lan", "name": "Chị Lan", "phone": "0987654321", "orders": [
        ("HM1001", "in_transit", "ghn", "LBK3X7QH", [("Áo thun cotton", 2, 150000)]),
        ("HM1004", "confirmed", "sandbox", "HMX10004", [("Nón bucket", 1, 120000)]),
    ]},
    {"key": "minh", "name": "Anh Minh", "phone": "0903123456", "orders": [
        ("HM1002", "out_for_delivery", "ghtk", "S1234567.SG01.A1.12345678", [("Giày thể thao", 1, 890000)]),
    ]},
    {"key": "hoa", "name": "Chị Hoa", "phone": "0912345678", "orders": [
        ("HM1003", "picked_up", "sandbox", "HMX10003", [("Túi tote canvas", 1, 250000), ("Sổ tay", 2, 45000)]),
    ]},
]


def demo_settings(base: Settings, host: str, port: int, api_key: str) -> Settings:
    """The demo's settings over the environment's; the database is the one every command uses."""
    env = {key: value for key, value in os.environ.items() if key.startswith("HAUMAI_")}
    defaults = {
        "HAUMAI_SHOP_NAME": "Tiệm Nhà Mây", "HAUMAI_QUIET_HOURS": "off", "HAUMAI_PUBLIC_URL": f"http://{host}:{port}",
        "HAUMAI_BUSINESS_HOURS": "off", "HAUMAI_THANKS_DELAY": "60s", "HAUMAI_NPS_DELAY": "3m",
    }
    return Settings.from_env({**defaults, **env, "HAUMAI_DATABASE_URL": base.database_url,
                              "HAUMAI_API_KEY": base.api_key.get_secret_value() if base.api_key else api_key})


async def remembered(sessions: async_sessionmaker[AsyncSession], key: str, make: Callable[[], str]) -> str:
    """A demo secret kept in the database, so a restarted demo shows the same API key and login."""
    async with sessions.begin() as session:
        stored = await session.get(KeyValue, key)
        if stored is None:
            stored = KeyValue(key=key, value=make(), updated_at=datetime.now(timezone.utc))
            session.add(stored)
        return stored.value


def demo_api_key(database_url: str) -> str:
    async def read() -> str:
        engine = make_engine(database_url)
        try:
            return await remembered(make_sessionmaker(engine), DEMO_API_KEY, lambda: secrets.token_urlsafe(24))
        finally:
            await engine.dispose()

    upgrade(database_url)
    return asyncio.run(read())


async def seed(runtime: Runtime) -> list[dict[str, str]]:
    """Upsert the demo orders (idempotent) and return the customers' chat links."""
    now = runtime.clock()
    async with runtime.sessions.begin() as session:
        for customer in CUSTOMERS:
            for code, status, carrier, tracking, items in customer["orders"]:
                data = OrderIn.model_validate({
                    "code": code, "customer": {"name": customer["name"], "phone": customer["phone"]},
                    "items": [{"name": n, "quantity": q, "price": p} for n, q, p in items],
                    "total": sum(q * p for _, q, p in items), "carrier": carrier, "tracking_code": tracking,
                    "eta": (now + timedelta(days=2)).date().isoformat(),
                })
                order, created = await upsert_order(session, data, now=now, on_change=runtime.planner)
                if created:
                    await _history(session, order, status, now)
    expires = date.today() + timedelta(days=30)
    return [
        {"key": c["key"], "name": c["name"], "token": make_token(runtime.secret, c["orders"][0][0], expires),
         "summary": ", ".join(f"{o[0]}" for o in c["orders"])}
        for c in CUSTOMERS
    ]


async def _history(session: Any, order: Order, status: str, now: datetime) -> None:
    steps = steps_to(status)
    for n, step in enumerate(steps):
        at = now - timedelta(hours=6 * (len(steps) - n))
        await apply_event(session, order, _event(order, step, at), now=now)


def _event(order: Order, status: str, at: datetime) -> TimelineEvent:
    """The sandbox carrier's event for the order's step, as any carrier event lands on a timeline."""
    return as_timeline_event(step_event(order.code, order.tracking_code, status, at))


async def advance_sandbox(runtime: Runtime) -> None:
    """Move linked sandbox orders one step along the journey: the demo's carrier."""
    now = runtime.clock()
    async with runtime.sessions.begin() as session:
        orders = await session.scalars(
            select(Order).where(Order.carrier == CARRIER_ID, Order.contact_id.is_not(None),
                                Order.status.in_(JOURNEY[:-1]), Order.updated_at < now - timedelta(seconds=STEP_SECONDS))
        )
        for order in orders:
            change = await apply_event(session, order, _event(order, next_step(order.status), now), now=now)
            if change is not None:
                await runtime.planner(session, order, change)
    runtime.dispatcher.wake()


DEMO_STAFF = "demo@haumai.local"
DEMO_API_KEY, DEMO_PASSWORD = "demo_api_key", "demo_staff_password"  # kv keys
HISTORY_ORDERS, HISTORY_WEEKS = 300, 8
COLLEAGUES = (("hoa@haumai.local", "Chị Hoa"), ("tuan@haumai.local", "Anh Tuấn"))


async def demo_history(runtime: Runtime) -> None:
    """Eight weeks of a shop's past, once, so /dashboard tells a story on first open: two
    colleagues (their passwords never shown: they exist to answer the past's handoffs)."""
    async with runtime.sessions() as session:
        if await session.scalar(select(Order.id).where(Order.code.like("HS%")).limit(1)) is not None:
            return
        start_ids = await next_ids(session)
    colleagues = [await add_staff(runtime.sessions, email, name, StaffRole.AGENT, secrets.token_urlsafe(16), runtime.clock())
                  for email, name in COLLEAGUES]
    history = generate(HISTORY_ORDERS, runtime.clock(), HISTORY_WEEKS, [c.id for c in colleagues], start_ids=start_ids)
    await write(runtime.sessions, history)


async def demo_staff(runtime: Runtime, settings: Settings) -> None:
    """A staff login for the inbox, created once and printed at every start (its password is the
    demo's, kept in the database; an account made before it was kept gets a new one)."""
    password = await remembered(runtime.sessions, DEMO_PASSWORD, lambda: secrets.token_urlsafe(12))
    async with runtime.sessions() as session:
        exists = await session.scalar(select(Staff.id).where(Staff.email == DEMO_STAFF)) is not None
    if exists:
        await reset_password(runtime.sessions, DEMO_STAFF, password)
    else:
        await add_staff(runtime.sessions, DEMO_STAFF, "Nhân viên demo", StaffRole.ADMIN, password, runtime.clock())
    print(f"  Staff inbox: {settings.public_url}/inbox, the shop's figures: {settings.public_url}/dashboard"
          f"  (login {DEMO_STAFF} / {password})\n", flush=True)


def demo_app(settings: Settings) -> web.Application:
    app = create_app(settings)
    customers: list[dict[str, str]] = []
    app[DEMO_CUSTOMERS] = customers

    async def on_startup(app: web.Application) -> None:
        runtime = app[RUNTIME].get()
        customers.extend(await seed(runtime))
        await demo_history(runtime)
        await demo_staff(runtime, settings)
        assert runtime.scheduler is not None, "the runtime starts its clock before the app's on_startup"
        runtime.scheduler.add_job(advance_sandbox, "interval", seconds=5, args=[runtime], id="sandbox")

    app.on_startup.append(on_startup)
    return app


def run_demo(base: Settings, *, host: str, port: int) -> None:
    settings = demo_settings(base, host, port, demo_api_key(base.database_url))
    assert settings.api_key is not None
    print(f"\n  Haumai demo: open http://{host}:{port}/chat in your browser")
    if base.api_key is None:  # the demo's own, kept in its database, so the user can try the API
        print(f"  REST API key for this demo: {settings.api_key.get_secret_value()}\n")
    serve(settings, host=host, port=port, app=demo_app(settings))
