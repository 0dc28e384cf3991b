"""SQLAlchemy 2 typed models: the database is the truth for dedupe, claims and handoff."""

from __future__ import annotations

from datetime import date, datetime, timezone
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.type_api import _BindProcessorType
from sqlalchemy.types import TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from carriers.models import CanonicalStatus

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BigInteger ids autoincrement on PostgreSQL; SQLite only autoincrements INTEGER primary keys.
Id = BigInteger().with_variant(Integer(), "sqlite")


_INSTANTS_KEPT = 1024  # per type and dialect; a batch binds a few, so this only bounds memory


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which stores naive) too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            msg = "naive datetime given to the database; use aware datetimes"
            raise ValueError(msg)
        return value.astimezone(timezone.utc)

    def bind_processor(self, dialect: Dialect) -> _BindProcessorType[datetime] | None:
        """Each instant's driver value computed once while it keeps coming, then looked up.

        A batch stamps its rows with a handful of instants (its `now`, the messages' times), and on
        SQLite each row's DATETIME text is formatted field by field in Python: 3 % of the server's
        samples in a burst (docs/performance.md). Equal aware datetimes are the same instant, so
        they have the same UTC value, except in an hour that repeats when clocks go back: there
        the second pass (`fold=1`) equals the first in the same zone, so it is never looked up. A
        naive datetime is never remembered, so it is always refused."""
        process = super().bind_processor(dialect)
        if process is None:
            return None
        known: dict[datetime, Any] = {}

        def remembered(value: datetime | None) -> Any:
            if value is None:
                return None
            if value.fold:
                return process(value)
            bound = known.get(value)
            if bound is None:
                bound = process(value)
                if len(known) >= _INSTANTS_KEPT:
                    known.clear()
                known[value] = bound
            return bound

        return remembered

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=timezone.utc)


When = UtcDateTime()


class Base(DeclarativeBase):
    __table__: ClassVar[Table]  # every model here maps one table, which Core statements (insert, update) need
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class KeyValue(Base):
    """Small durable facts shared by replicas (the generated secret key, token pairs)."""

    __tablename__ = "kv"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(When)


class Contact(Base):
    """One customer, whatever channels they reach us on."""

    __tablename__ = "contacts"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    phone_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str | None] = mapped_column(String(5))
    opted_out_at: Mapped[datetime | None] = mapped_column(When)  # no thanks, surveys, reminders
    notices_off: Mapped[bool] = mapped_column(Boolean, default=False)  # no delivery notices either
    created_at: Mapped[datetime] = mapped_column(When)
    last_inbound_at: Mapped[datetime | None] = mapped_column(When)
    last_channel: Mapped[str | None] = mapped_column(String(20))


class Identity(Base):
    """A contact's account on one channel (Telegram chat id, PSID, Zalo user id, web session)."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("channel", "user_id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    last_inbound_at: Mapped[datetime | None] = mapped_column(When)
    created_at: Mapped[datetime] = mapped_column(When)


class OrderLookup(Base):
    """An order code an identity looked up without owning the order, within the last hour (bot.lookups)."""

    __tablename__ = "order_lookups"
    __table_args__ = (UniqueConstraint("identity_id", "code"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    identity_id: Mapped[int] = mapped_column(ForeignKey("identities.id"))
    code: Mapped[str] = mapped_column(String(64))
    looked_up_at: Mapped[datetime] = mapped_column(When)


class ConversationMode(StrEnum):
    BOT = "bot"  # the bot answers
    HUMAN = "human"  # a person owns it; the bot stays silent
    CLOSED = "closed"


class Conversation(Base):
    """The thread between the shop and one contact; `mode` decides who answers."""

    __tablename__ = "conversations"
    __table_args__ = (  # the inbox's (and dashboard's) "waiting" count reads only these few rows
        Index("ix_conversations_waiting", "id", postgresql_where=text("mode = 'human' AND assigned_staff_id IS NULL"),
              sqlite_where=text("mode = 'human' AND assigned_staff_id IS NULL")),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), unique=True)
    mode: Mapped[str] = mapped_column(String(10), default=ConversationMode.BOT.value)
    handoff_reason: Mapped[str | None] = mapped_column(String(40))
    assigned_staff_id: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=0)
    offered: Mapped[list[Any]] = mapped_column(JSON, default=list)  # buttons last offered
    misses: Mapped[int] = mapped_column(Integer, default=0)  # bot answers that did not help
    awaiting: Mapped[str | None] = mapped_column(String(40))  # e.g. "comment:<answer id>"
    resolved_at: Mapped[datetime | None] = mapped_column(When)
    unread: Mapped[int] = mapped_column(Integer, default=0)  # customer messages staff have not opened
    last_message_at: Mapped[datetime | None] = mapped_column(When, index=True)
    handoff_at: Mapped[datetime | None] = mapped_column(When)
    created_at: Mapped[datetime] = mapped_column(When)


class EventStatus(StrEnum):
    """An inbound event: `processing` under a lease until its batch commits or the sweeper gives up."""

    PROCESSING = "processing"
    DONE = "done"
    IGNORED = "ignored"  # a person owned the conversation: stored and shown, not answered
    FAILED = "failed"


class InboundEvent(Base):
    """Every accepted webhook event, stored before the 200: the dedupe truth."""

    __tablename__ = "inbound_events"
    __table_args__ = (
        UniqueConstraint("channel", "provider_event_id"),
        Index("ix_inbound_events_status_lease", "status", "lease_until"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    provider_event_id: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default=EventStatus.PROCESSING.value)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(When)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(When)


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class Author(StrEnum):
    CUSTOMER = "customer"
    BOT = "bot"
    STAFF = "staff"


class MessageStatus(StrEnum):
    RECEIVED = "received"  # from the customer
    SENT = "sent"  # to the customer; the provider's receipts move it on
    DELIVERED = "delivered"
    READ = "read"


class MessageRecord(Base):
    """A message in a conversation, either direction, with its delivery status."""

    __tablename__ = "messages"
    __table_args__ = (  # the dashboard's (bot/migrations/versions/0008_dashboard_indexes.py)
        Index("ix_messages_intent_created", "intent", "created_at", postgresql_include=["direction", "channel", "conversation_id"]),
        Index("ix_messages_kind_created", "kind", "created_at", postgresql_include=["direction", "channel", "status"]),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    direction: Mapped[str] = mapped_column(String(3))  # Direction
    author: Mapped[str] = mapped_column(String(10))  # Author
    channel: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(12), default="text")
    text: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    intent: Mapped[str | None] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(12), default=MessageStatus.RECEIVED.value)
    provider_message_id: Mapped[str | None] = mapped_column(String(200), index=True)
    outbox_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(When)


class Order(Base):
    """An order as the shop's system and the carriers describe it."""

    __tablename__ = "orders"
    __table_args__ = (  # the dashboard's
        Index("ix_orders_created_status", "created_at", "status", postgresql_include=["contact_id", "direction"]),
        Index("ix_orders_status_at", "status", "status_at", postgresql_include=["contact_id", "direction"]),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    items: Mapped[list[Any]] = mapped_column(JSON, default=list)
    total: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3), default="VND")
    carrier: Mapped[str | None] = mapped_column(String(20))
    tracking_code: Mapped[str | None] = mapped_column(String(64), index=True)
    eta: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=CanonicalStatus.CREATED.value)
    status_at: Mapped[datetime | None] = mapped_column(When)
    shipper_name: Mapped[str | None] = mapped_column(String(100))
    shipper_phone: Mapped[str | None] = mapped_column(String(20))
    last_location: Mapped[str | None] = mapped_column(String(200))
    placed_at: Mapped[datetime | None] = mapped_column(When)
    next_poll_at: Mapped[datetime | None] = mapped_column(When, index=True)
    created_at: Mapped[datetime] = mapped_column(When)
    updated_at: Mapped[datetime] = mapped_column(When)
    direction: Mapped[str] = mapped_column(String(8), default="outbound", server_default="outbound")  # or "return"


class OrderEvent(Base):
    """One step of an order's timeline; `event_key` makes a repeated report a no-op."""

    __tablename__ = "order_events"
    __table_args__ = (UniqueConstraint("order_id", "event_key"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    event_key: Mapped[str] = mapped_column(String(200))
    status: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))  # shop | carrier id | sandbox
    raw_code: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str | None] = mapped_column(String(200))
    shipper_name: Mapped[str | None] = mapped_column(String(100))
    shipper_phone: Mapped[str | None] = mapped_column(String(20))
    occurred_at: Mapped[datetime] = mapped_column(When)
    recorded_at: Mapped[datetime] = mapped_column(When)
    timed: Mapped[bool] = mapped_column(Boolean, default=True)  # False: occurred_at is our arrival time


class Outbox(Base):
    """Every outgoing message, reply or proactive: the durable queue the dispatcher drains."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_due", "status", "due_at"), Index("ix_outbox_kind_sent", "kind", "sent_at", postgresql_include=["status", "channel", "dedupe_key"]))
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))  # bot.outbox.OutboxKind
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(Integer)
    order_id: Mapped[int | None] = mapped_column(Integer, index=True)
    channel: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(160))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)  # bot.outbox.OutboxBody, read by the dispatcher
    due_at: Mapped[datetime] = mapped_column(When)
    status: Mapped[str] = mapped_column(String(16))  # bot.outbox.OutboxStatus, set by the one writer
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claim_token: Mapped[str | None] = mapped_column(String(40))
    lease_until: Mapped[datetime | None] = mapped_column(When)
    last_error: Mapped[str | None] = mapped_column(Text)
    provider_message_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(When)
    sent_at: Mapped[datetime | None] = mapped_column(When)


class Coupon(Base):
    """A personal thank-you coupon: one per delivered order, unguessable, readable."""

    __tablename__ = "coupons"
    __table_args__ = (Index("ix_coupons_issued_at", "issued_at", postgresql_include=["contact_id", "redeemed_at", "redeemed_order_code"]),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    percent: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(When)
    expires_at: Mapped[datetime] = mapped_column(When, index=True)
    redeemed_at: Mapped[datetime | None] = mapped_column(When)
    redeemed_order_code: Mapped[str | None] = mapped_column(String(64))
    reminded_at: Mapped[datetime | None] = mapped_column(When)


class SurveyAnswer(Base):
    """One answer per survey asked (UNIQUE survey key): a double tap counts once."""

    __tablename__ = "survey_answers"
    __table_args__ = (Index("ix_survey_answers_answered_at", "answered_at", postgresql_include=["kind", "score", "contact_id"]),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    survey_key: Mapped[str] = mapped_column(String(60), unique=True)  # e.g. csat:12, ces:5.3
    kind: Mapped[str] = mapped_column(String(8))  # csat | nps | ces
    subject_id: Mapped[int] = mapped_column(BigInteger)  # order id (csat, nps) or conversation id (ces)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(When)


class SetAsideEvent(Base):
    """A carrier event we could not apply (unknown tracking code, unconfirmed delivery): kept
    for review instead of lost."""

    __tablename__ = "set_aside_events"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    carrier: Mapped[str] = mapped_column(String(20))
    tracking_code: Mapped[str | None] = mapped_column(String(64), index=True)
    reason: Mapped[str] = mapped_column(String(40))  # unknown_tracking_code | unconfirmed
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(When)


class StaffRole(StrEnum):
    AGENT = "agent"  # answers customers
    ADMIN = "admin"  # also keeps the canned replies


class Staff(Base):
    """A person who answers customers in the inbox."""

    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(10), default=StaffRole.AGENT.value)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(When)


class StaffSession(Base):
    """One staff login. An issued cookie cannot be recalled, so it only admits while its row lives:
    logging out or setting a new password deletes rows. The id is a digest of the cookie's token,
    so a copy of the database does not hand out logins."""

    __tablename__ = "staff_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(Id, ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(When, index=True)


class InboxEvent(Base):
    """The live-inbox log: SSE replays from it by id, so a reconnect misses nothing."""

    __tablename__ = "inbox_events"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(20))  # bot.conversation_events.InboxEventKind
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(When)


class Handoff(Base):
    """One stretch of a conversation in a person's hands, for response and resolution times."""

    __tablename__ = "handoffs"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(Integer, index=True)
    reason: Mapped[str] = mapped_column(String(40))
    requested_at: Mapped[datetime] = mapped_column(When, index=True)
    first_response_at: Mapped[datetime | None] = mapped_column(When)
    held_at: Mapped[datetime | None] = mapped_column(When)  # holding message sent: overdue
    staff_id: Mapped[int | None] = mapped_column(Integer)  # who answered first, for times by person
    resolved_at: Mapped[datetime | None] = mapped_column(When)


class Note(Base):
    """An internal note staff leave on a conversation; never sent to the customer."""

    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(Integer, index=True)
    staff_id: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(When)


class CannedReply(Base):
    """A ready answer staff insert with one click; admins keep the list."""

    __tablename__ = "canned_replies"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(When)


class SettingOverride(Base):
    """A shop setting an admin changed in the browser; the environment's value is the default."""

    __tablename__ = "setting_overrides"
    name: Mapped[str] = mapped_column(String(60), primary_key=True)  # a bot.config.Settings field
    value: Mapped[str] = mapped_column(Text)  # as an environment variable would spell it
    updated_at: Mapped[datetime] = mapped_column(When)


class TemplateOverride(Base):
    """A message template an admin rewrote, in place of the packaged one (content/templates)."""

    __tablename__ = "template_overrides"
    language: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), primary_key=True)  # e.g. notice/delivered
    source: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(When)


class ConfigChange(Base):
    """Who changed which setting or template, when, from what to what (None: the default)."""

    __tablename__ = "config_changes"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(Integer)
    staff_email: Mapped[str] = mapped_column(String(254))  # kept should the account be removed
    subject: Mapped[str] = mapped_column(String(120))  # a setting's name, or "template vi/notice/delivered"
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(When, index=True)


# --- NLU: what the shop teaches the bot (issue 13, migration 0009) ---


class LabelSource(StrEnum):
    CLARIFY = "clarify"  # the customer tapped one of the likeliest intents the bot offered
    STAFF = "staff"  # a person corrected what the bot understood, in the inbox


class NluLabel(Base):
    """A message and the intent it really had: the shop's own training set, exportable
    (`haumai nlu export`). The same words are understood as taught from the next message on."""

    __tablename__ = "nlu_labels"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    folded: Mapped[str] = mapped_column(String(500), index=True)  # bot.nlu.fold(text), cut to fit
    intent: Mapped[str] = mapped_column(String(30))  # bot.nlu.Intent
    source: Mapped[str] = mapped_column(String(10))  # LabelSource
    who: Mapped[str] = mapped_column(String(254))  # the staff member's email, or "customer"
    message_id: Mapped[int | None] = mapped_column(BigInteger)  # the message corrected, when one was
    labelled_at: Mapped[datetime] = mapped_column(When, index=True)
# --- order sources (issue 17) ---


class SourceEventRecord(Base):
    """One webhook delivery (or pulled copy) of a shop platform's order, kept so a replay is a
    no-op (UNIQUE platform + event id) and an older copy of an object than one applied changes
    nothing (`object_key`, `platform_updated_at`)."""

    __tablename__ = "source_events"
    __table_args__ = (
        UniqueConstraint("platform", "event_id"),
        Index("ix_source_events_object", "platform", "object_key", "platform_updated_at"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(60))
    object_key: Mapped[str | None] = mapped_column(String(100))
    order_code: Mapped[str | None] = mapped_column(String(64))
    platform_updated_at: Mapped[datetime | None] = mapped_column(When)
    outcome: Mapped[str] = mapped_column(String(20))  # applied | stale | ignored
    received_at: Mapped[datetime] = mapped_column(When)


# --- Experiments (issue 16): hold-outs and A/B variants of the journey --------------------------


class Experiment(Base):
    """A test of the journey on the shop's own customers: arms with weights (bot.experiments.spec).

    `running_slot` is 1 while it runs and NULL otherwise; its UNIQUE constraint is what keeps two
    experiments from running at once, on every replica."""

    __tablename__ = "experiments"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)  # bot.experiments.spec.ExperimentSpec
    status: Mapped[str] = mapped_column(String(10))  # draft | running | stopped
    running_slot: Mapped[int | None] = mapped_column(Integer, unique=True)
    created_at: Mapped[datetime] = mapped_column(When)
    started_at: Mapped[datetime | None] = mapped_column(When)
    stopped_at: Mapped[datetime | None] = mapped_column(When)


class ExperimentAssignment(Base):
    """An order's arm, recorded once (UNIQUE order) and never changed."""

    __tablename__ = "experiment_assignments"
    __table_args__ = (Index("ix_experiment_assignments_experiment_arm", "experiment_id", "arm"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    experiment_id: Mapped[int] = mapped_column(ForeignKey("experiments.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    arm: Mapped[str] = mapped_column(String(40))
    assigned_at: Mapped[datetime] = mapped_column(When)
# --- leases (issue 12: one scheduler leader among replicas) -----------------------------------


class LeaseRow(Base):
    """Who runs a once-per-deployment job group (bot.lease), until when; renewed by its holder."""

    __tablename__ = "leases"
    name: Mapped[str] = mapped_column(String(60), primary_key=True)  # e.g. "scheduler"
    holder: Mapped[str] = mapped_column(String(200))  # the replica's instance id
    expires_at: Mapped[datetime] = mapped_column(When)
    acquired_at: Mapped[datetime] = mapped_column(When)  # when the current holder took it over
# --- returns and exchanges (issue 15) ---------------------------------------------------------


class ReturnRequest(Base):
    """A customer's return or exchange of (items of) one delivered order; `state` moves along
    bot.returns.states, each move kept in return_events."""

    __tablename__ = "return_requests"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), index=True)  # bot.returns.states.State
    items: Mapped[list[Any]] = mapped_column(JSON, default=list)  # names of the items returned
    reason: Mapped[str | None] = mapped_column(String(20))  # bot.config.RETURN_REASONS
    resolution: Mapped[str | None] = mapped_column(String(10))  # exchange | refund
    exchange_wish: Mapped[str | None] = mapped_column(String(200))  # the size or colour wanted
    refund_method: Mapped[str | None] = mapped_column(String(20))  # bot.config.REFUND_METHODS
    refund_account: Mapped[str | None] = mapped_column(String(100))  # shown masked everywhere
    verdict: Mapped[str | None] = mapped_column(String(20))  # bot.returns.policy.Verdict
    decision_note: Mapped[str | None] = mapped_column(String(500))  # why staff rejected or approved
    return_order_id: Mapped[int | None] = mapped_column(Integer)  # the return parcel (orders.direction = return)
    exchange_tracking_code: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(When)
    requested_at: Mapped[datetime | None] = mapped_column(When, index=True)
    updated_at: Mapped[datetime] = mapped_column(When)


class ReturnEvent(Base):
    """One state a return request reached, once: when, and who moved it (customer, staff, carrier, shop, bot)."""

    __tablename__ = "return_events"
    __table_args__ = (UniqueConstraint("request_id", "state", name="uq_return_events_request_state"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("return_requests.id"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(10))
    staff_id: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(500), default="")
    occurred_at: Mapped[datetime] = mapped_column(When)


class ReturnPhoto(Base):
    """A photo the customer sent for a return, fetched from the platform and checked (bot.returns.photos)."""

    __tablename__ = "return_photos"
    __table_args__ = (UniqueConstraint("owner", "digest", name="uq_return_photos_owner_digest"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("return_requests.id"), index=True)
    owner: Mapped[str] = mapped_column(String(160))  # the sender's address (channel:user)
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))  # sha256: the same photo sent twice is stored once
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(When)


# --- dashboard roll-ups (issue 14: the page on a large shop) ----------------------------------


class DashboardDay(Base):
    """One closed shop day's additive figure parts (app.figures), for all channels ('') or one:
    the page sums these instead of counting a year of rows on every view."""

    __tablename__ = "dashboard_days"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)  # '' = every channel
    parts: Mapped[dict[str, Any]] = mapped_column(JSON)
    built_at: Mapped[datetime] = mapped_column(When)


class DashboardDirty(Base):
    """A closed day whose rows changed after its roll-up (a late receipt, a merged customer…):
    the page counts it live until the roll-up job builds it again."""

    __tablename__ = "dashboard_dirty"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    marked_at: Mapped[datetime] = mapped_column(When)  # a mark newer than a build keeps the day dirty
