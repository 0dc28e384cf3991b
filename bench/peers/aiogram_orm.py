"""aiogram 3 + the SQLAlchemy ORM as such a bot is usually written: per message, find or create
the customer, store the message, look up the order named in it, commit, answer.

Defaults everywhere (aiosqlite, SQLAlchemy's pool, aiogram's background handling), because the
yardstick is what a developer typically ships, not a tuned version of it.
"""

from __future__ import annotations

import argparse
import re
from datetime import datetime, timezone
from typing import Any

from aiogram import Dispatcher
from aiohttp import web
from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bench.peers.aiogram_fixed import webhook_app
from bench.peers.serving import serve_peer

ORDER_CODE = re.compile(r"\bHM\d+\b", re.IGNORECASE)


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(100))
    orders: Mapped[list[Order]] = relationship(back_populates="customer")


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    customer: Mapped[Customer | None] = relationship(back_populates="orders")


class Message(Base):
    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]


class Shop:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def answer(self, message: Any) -> None:
        async with self.sessions() as session:
            customer = await session.scalar(select(Customer).where(Customer.chat_id == message.chat.id))
            if customer is None:
                customer = Customer(chat_id=message.chat.id, name=message.chat.first_name or "")
                session.add(customer)
                await session.flush()
            session.add(Message(customer_id=customer.id, text=message.text or "", at=datetime.now(timezone.utc)))
            code = ORDER_CODE.search(message.text or "")
            order = await session.scalar(select(Order).where(Order.code == code.group().upper())) if code else None
            await session.commit()
        if order is None:
            await message.answer("Bạn cho shop xin mã đơn hàng nhé.")
        else:
            await message.answer(f"Đơn {order.code} của bạn: {order.status}.")


async def build(args: argparse.Namespace) -> web.Application:
    engine = create_async_engine(args.database_url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.drop_all)
        await connection.run_sync(Base.metadata.create_all)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    async with sessions.begin() as session:
        session.add(Order(code="HM1001", status="đang giao"))
    dispatcher = Dispatcher()
    dispatcher.message.register(Shop(sessions).answer)
    return webhook_app(args.api_base, dispatcher)


if __name__ == "__main__":
    serve_peer(build, __doc__ or "")
