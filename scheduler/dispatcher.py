"""The outbox dispatcher: claim due rows, apply send-time policy, send, finish fenced.

Any number of replicas run it. A claim marks rows `claimed` with a lease and a fresh claim
token (FOR UPDATE SKIP LOCKED on PostgreSQL, BEGIN IMMEDIATE on SQLite); only the holder of
the token can finish a row, so a replica that lost its lease cannot overwrite the outcome.
Just before a row's provider request starts it becomes `sending` (requests starting together
share one UPDATE), so after a crash the sweeper knows which rows nothing was sent for: those
go back to due, and only the ones whose request started become `unknown`. Outcomes are
stored by scheduler.outcomes. Whatever goes wrong with one row fails that row alone. Two
rounds run side by side (one claims while the other sends), each recipient's rows still in
claim order; the turn worker lets the rows claimed start before its next batch (`sends_started`).
Replies due now skip the claim: their turn batch claims them itself and hands them over as it
commits (`send_claimed`, bot.handover).

A proactive message whose channel window has closed goes, in this order, as the shop's
approved template on that channel, on another channel the same customer is linked on (the
one they used most recently first), or nowhere: `skipped_policy` with every reason.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import defaultdict
from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import Any, Awaitable, Callable, Mapping

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.config import Settings, TemplateSpec
from bot.contacts import linked_addresses
from bot.coordination import Coordinator
from bot.group_commit import GroupCommit
from bot.handover import HandOver
from bot.live_settings import LiveSettings
from bot.supervisor import Supervisor
from bot.outbox import PROACTIVE_KINDS, OutboxBody, OutboxKind, OutboxStatus
from bot.storage.dialect import one_of
from bot.storage.models import Contact, Conversation, Identity, Outbox
from channels.base import Channel, ChannelError
from channels.fit import fit
from channels.models import Address, ChannelKind, OutboundMessage, Purpose, TemplateRef
from scheduler import claims, policy
from scheduler.claims import Claimed
from scheduler.ordering import InOrder, Place
from scheduler.outcomes import Finished, store_outcomes
from scheduler.retry import Outcome, outcome_of_error
from scheduler.starting import WOKEN, Starting

log = logging.getLogger("scheduler.dispatcher")
LEASE = timedelta(seconds=60)
SEND_BATCH = 100  # rows per claim: bounds how long one round holds the loop while webhooks wait
ROUNDS_AT_ONCE = 2  # a round claims while another sends and stores its outcomes (see `start`)
MAX_START_WAIT = 0.5  # seconds a turn batch may wait for the replies before it to be started (`sends_started`)
RATE_LIMITS = {"messenger": (300, 1.0), "zalo": (4000, 60.0)}  # per page / per app, all replicas

async def _mark_started(session: AsyncSession, rows: list[Claimed]) -> list[bool]:
    """`sending` from here on: after a crash the row is in doubt (sent again, maybe twice) rather
    than simply due again. False for a row whose claim expired meanwhile (the sweeper gave it
    back): it must not be sent."""
    started = await claims.start(session, rows)
    return [row.id in started for row in rows]


# One channel at a time: matching `channel || ':' || user_id` made SQLite scan every identity.
_LAST_INBOUND = select(Identity.user_id, Identity.last_inbound_at).where(
    Identity.channel == bindparam("channel"), one_of(Identity.user_id, "users")
)


class Dispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        channels: Mapping[str, Channel],
        coordinator: Coordinator,
        settings: Settings | LiveSettings,
        *,
        clock: Clock,
        instance_id: str,
        on_sent: Callable[[Claimed], None] = lambda row: None,
        batch_size: int = SEND_BATCH,
        concurrency: int = 64,
        take_turns: Callable[[], Awaitable[None]] = lambda: asyncio.sleep(0),
        supervisor: Supervisor | None = None,
    ) -> None:
        self._sessions = sessions
        self._supervisor = supervisor or Supervisor()
        self._channels = channels
        self._coordinator = coordinator
        self._live = settings if isinstance(settings, LiveSettings) else LiveSettings(settings)
        self._clock = clock
        self._instance_id = instance_id
        self._on_sent = on_sent
        self._batch_size = batch_size
        self._take_turns = take_turns  # the share of the loop webhooks leave us (Ingestor.take_turns)
        self._slots = asyncio.Semaphore(concurrency)
        telegram = self._settings.telegram_rate_limit  # the environment's alone: not editable
        self._limits = {**RATE_LIMITS, **({"telegram": (telegram, 1.0)} if telegram else {})}
        self._templates = {"zalo": self._settings.zalo_templates, "messenger": self._settings.messenger_templates}
        self._wakeup = asyncio.Event()
        self._in_order = InOrder()
        self._claiming = asyncio.Lock()  # one claim at a time: rounds take due rows in due order
        self._starting = Starting()
        self._idle = 0  # rounds waiting to be woken
        self._starts: GroupCommit[Claimed, bool] = GroupCommit(sessions, _mark_started, name="send-starts")
        self._handed: set[asyncio.Task[None]] = set()  # sending rows turn batches claimed (`send_claimed`)

    @property
    def _settings(self) -> Settings:
        """Read at each use: quiet hours and the daily cap an admin changes apply to the next round."""
        return self._live.current

    def wake(self) -> None:
        """Something is due now: do not wait for the next tick."""
        self._wakeup.set()
        if self._idle:
            self._starting.owe([WOKEN])

    async def sends_started(self, max_wait: float = MAX_START_WAIT) -> None:
        """Wait (at most `max_wait`) until an idle round woken before has claimed what is due
        and every row claimed has its request started, or waits for something else first
        (see scheduler.starting). The turn worker calls it before each batch, after the acks owed."""
        await self._starting.settled(max_wait)

    def start(self) -> None:
        """`ROUNDS_AT_ONCE` supervised rounds side by side. With one, a turn batch's replies
        waited for the round under way to send its last row and store its outcomes before they
        were even claimed; now an idle round claims them as soon as it is woken, and `InOrder`
        keeps each recipient's rows in claim order across rounds."""
        for index in range(ROUNDS_AT_ONCE):
            self._supervisor.run(f"dispatcher-{index}", self.next_round)

    async def next_round(self) -> None:
        """Wait to be woken, then send until nothing more is due. Repeated by the supervisor,
        which logs a failed round and retries it (the next tick wakes it anyway)."""
        self._idle += 1
        try:
            await self._wakeup.wait()
        finally:
            self._idle -= 1
        if not self._wakeup.is_set():
            return  # a round beside this one took the wake-up first: one claim per wake-up
        self._wakeup.clear()
        try:
            while True:
                await self._take_turns()  # before every batch: a long backlog must not starve webhooks either
                if await self.run_once() < self._batch_size:
                    return
        finally:
            self._starting.settle(WOKEN)

    async def run_once(self) -> int:
        """Claim, send and finish one batch; returns how many rows were claimed."""
        async with self._claiming:  # PostgreSQL would let a later claim commit first
            rows = await self._claim()
            places = self._line_up(rows)
        self._starting.settle(WOKEN)
        if rows:
            await self._send_reserved(rows, places)
        return len(rows)

    @property
    def hand_over(self) -> HandOver:
        """The terms on which a turn batch claims its own replies, and where it hands them (bot.handover)."""
        return HandOver(self._instance_id, LEASE, self.send_claimed)

    def send_claimed(self, rows: list[Claimed]) -> None:
        """Send rows a turn batch claimed in its own transaction, which has just committed.

        Their places are taken here, before anything awaits, so they follow whatever was
        claimed or handed over before them, recipient by recipient (commit order). Sent
        like a round's rows (verdicts, windows, starts, outcomes) by a task of their own; the
        next turn batch waits for their starts as for a round's (`sends_started`). A replica
        that dies first leaves them claimed until their lease ends: the sweeper then makes
        them due again for any round.
        """
        task = asyncio.create_task(self._send_reserved(rows, self._line_up(rows)), name="dispatcher-handed-over")
        self._handed.add(task)
        task.add_done_callback(self._handed_done)

    async def stop(self) -> None:
        """Cancel the sends of rows handed over, as the supervisor cancels the rounds: what was not
        started goes back to due when its claim lapses (scheduler.sweeper)."""
        for task in self._handed:
            task.cancel()
        await asyncio.gather(*self._handed, return_exceptions=True)

    def _handed_done(self, task: asyncio.Task[None]) -> None:
        self._handed.discard(task)
        if not task.cancelled() and task.exception() is not None:  # its rows wait for their lease, then a round
            log.error("handed-over replies could not be finished", exc_info=task.exception())

    def _line_up(self, rows: list[Claimed]) -> dict[str, Place]:
        """Synchronous, so rows take their places per recipient in the order they were claimed,
        and the next turn batch waits for their starts (`sends_started`)."""
        self._starting.owe(row.id for row in rows)
        return self._in_order.reserve({row.recipient for row in rows})

    async def _send_reserved(self, rows: list[Claimed], places: dict[str, Place]) -> None:
        try:
            self._starts.start(self._supervisor)
            finished = await self._send_all(rows, places)
        finally:  # a round that failed before sending must not hold up later rounds' rows, nor turns
            for recipient, place in places.items():
                self._in_order.release(recipient, place)
            for row in rows:
                self._starting.settle(row.id)
        await self._finish(finished)

    async def _claim(self) -> list[Claimed]:
        async with self._sessions.begin() as session:
            return await claims.claim(session, now=self._clock(), lease=LEASE, batch=self._batch_size,
                                      instance=self._instance_id, token=uuid.uuid4().hex)

    async def _send_all(self, rows: list[Claimed], places: dict[str, Place]) -> list[Finished]:
        """Rows of one recipient go in order (after an earlier round's); different recipients go concurrently."""
        verdicts = await self._policy(rows)
        windows = await self._last_inbound(rows)
        by_recipient: defaultdict[str, list[Claimed]] = defaultdict(list)
        for row in sorted(rows, key=lambda r: (r.due_at, r.id)):
            by_recipient[row.recipient].append(row)
        groups = await asyncio.gather(
            *(self._send_group(group, verdicts, windows, places[recipient])
              for recipient, group in by_recipient.items())
        )
        return [item for group in groups for item in group]

    async def _send_group(
        self, rows: list[Claimed], verdicts: dict[int, Outcome], windows: dict[str, datetime], place: Place
    ) -> list[Finished]:
        # Whatever waits for a request in flight (an earlier round's to this recipient, a free
        # slot, this group's first row) need not hold up the next turn batch.
        self._settle(rows if not place.free or self._slots.locked() else rows[1:])
        await place.reached()  # before taking a slot: a round waiting with one could block the round it waits for
        try:
            async with self._slots:
                results = []
                for row in rows:
                    verdict = verdicts.get(row.id)
                    if verdict is not None:
                        self._starting.settle(row.id)
                        results.append(Finished(row, verdict, 0))
                    else:
                        results.append(await self._send_alone(row, windows.get(row.recipient)))
                return results
        finally:
            self._in_order.release(rows[0].recipient, place)
            self._settle(rows)

    def _settle(self, rows: list[Claimed]) -> None:
        for row in rows:
            self._starting.settle(row.id)

    async def _send_alone(self, row: Claimed, last_inbound: datetime | None) -> Finished:
        """A malformed row (body, buttons, recipient) or an adapter bug fails this row, not its batch."""
        try:
            body = OutboxBody.read(row.body)
            return Finished(row, await self._send(row, body, last_inbound), 1, body)
        except Exception as error:
            log.warning("outbox row could not be sent", extra={"outbox_id": row.id, "error": type(error).__name__})
            failed = Outcome(OutboxStatus.FAILED, error=f"could not be sent: {type(error).__name__}: {error}"[:500])
            return Finished(row, failed, 1)

    async def _policy(self, rows: list[Claimed]) -> dict[int, Outcome]:
        proactive = sorted((r for r in rows if r.kind in PROACTIVE_KINDS), key=lambda r: (r.due_at, r.id))
        if not proactive:
            return {}
        async with self._sessions() as session:
            contacts = await _by_id(session, Contact, {r.contact_id for r in proactive})
            conversations = await _by_id(session, Conversation, {r.conversation_id for r in proactive})
            sent_today = await self._sent_today(session, {r.contact_id for r in proactive})
        now, quiet, zone = self._clock(), self._settings.quiet, self._settings.zone
        verdicts: dict[int, Outcome] = {}
        for row in proactive:
            verdict = policy.check(
                row, contacts.get(row.contact_id), conversations.get(row.conversation_id), now, quiet,
                zone, sent_today=sent_today[row.contact_id], daily_cap=self._settings.daily_proactive_cap,
            )
            if verdict is not None:
                verdicts[row.id] = verdict
            elif row.kind != OutboxKind.NOTICE:
                sent_today[row.contact_id] += 1
        return verdicts

    async def _sent_today(self, session: AsyncSession, contact_ids: set[int | None]) -> defaultdict[int | None, int]:
        """Non-notice proactive messages each customer already got today (shop's calendar)."""
        zone = self._settings.zone
        midnight = datetime.combine(self._clock().astimezone(zone).date(), time(0), tzinfo=zone)
        counts = await session.execute(
            select(Outbox.contact_id, func.count())
            .where(
                Outbox.contact_id.in_([c for c in contact_ids if c is not None]),
                Outbox.status == OutboxStatus.SENT, Outbox.sent_at >= midnight,
                Outbox.kind.in_(sorted(PROACTIVE_KINDS - {OutboxKind.NOTICE})),
            )
            .group_by(Outbox.contact_id)
        )
        return defaultdict(int, {contact: n for contact, n in counts.all()})

    async def _send(self, row: Claimed, body: OutboxBody, last_inbound: datetime | None) -> Outcome:
        address = Address.parse(row.recipient)
        outcome = await self._send_to(row, body, address, last_inbound)
        if outcome.status != OutboxStatus.SKIPPED_POLICY or row.kind not in PROACTIVE_KINDS:
            return outcome
        return await self._fall_back(row, body, address, outcome)

    async def _fall_back(self, row: Claimed, body: OutboxBody, tried: Address, first: Outcome) -> Outcome:
        """The window closed on the customer's channel: try their other linked channels."""
        reasons = [f"{tried.channel}: {first.error}"]
        for address, last_inbound in await self._other_addresses(row.contact_id, tried):
            outcome = await self._send_to(row, body, address, last_inbound)
            if outcome.status in (OutboxStatus.SKIPPED_POLICY, OutboxStatus.FAILED):
                reasons.append(f"{address.channel}: {outcome.error}")
                continue
            return replace(outcome, via=str(address), error=f"sent on {address.channel}; {reasons[0]}"[:500])
        reasons.append("no other linked channel could take it")
        return Outcome(OutboxStatus.SKIPPED_POLICY, error="; ".join(reasons)[:500])

    async def _other_addresses(self, contact_id: int | None, tried: Address) -> list[tuple[Address, datetime | None]]:
        """The customer's other identities on channels that push (not web chat), latest first."""
        if contact_id is None:
            return []
        async with self._sessions() as session:
            linked = await linked_addresses(session, contact_id)
        return [
            (address, at) for address, at in linked
            if address.channel in self._channels and address.channel != ChannelKind.WEB and address != tried
        ]

    async def _send_to(self, row: Claimed, body: OutboxBody, address: Address, last_inbound: datetime | None) -> Outcome:
        channel = self._channels.get(address.channel)
        if channel is None:
            return Outcome(OutboxStatus.FAILED, error=f"channel {address.channel} is not configured")
        message = fit(OutboundMessage(
            key=row.dedupe_key,
            to=address,
            purpose=body.purpose,
            text=body.text,
            buttons=body.buttons,
            request_phone=body.request_phone,
            template=self._template(address.channel, row.kind, body) if body.purpose == Purpose.UPDATE else None,
            since_last_inbound=self._since(address.channel, last_inbound),
        ), channel.capabilities, numbered_hint=body.numbered_hint)
        try:
            await self._take_budget(address.channel, row)
            started = await self._starts.submit(row)
            self._starting.settle(row.id)
            if not started:
                return Outcome(OutboxStatus.PENDING, error="the claim expired before sending")  # fenced: not stored
            result = await channel.send(message)
        except ChannelError as error:
            log.warning("send failed", extra={"outbox_id": row.id, "error": type(error).__name__})
            return outcome_of_error(error, row.attempts + 1, self._clock())
        except Exception as error:  # an adapter bug must not lose the row: retry with backoff
            log.exception("unexpected send error", extra={"outbox_id": row.id})
            return outcome_of_error(error, row.attempts + 1, self._clock())
        return Outcome(OutboxStatus.SENT, provider_id=result.provider_id)

    def _template(self, channel: str, kind: str, body: OutboxBody) -> TemplateRef | None:
        """The shop's approved template for this kind on this channel, filled from the row."""
        spec: TemplateSpec | None = self._templates.get(channel, {}).get(kind)
        if spec is None:
            return None
        params = {name: body.vars.get(variable, "") for name, variable in spec.params.items()}
        return TemplateRef(name=spec.id, params=params, language=spec.language,
                           phone=body.vars.get("phone", "") if spec.by_phone else "")

    async def _last_inbound(self, rows: list[Claimed]) -> dict[str, datetime]:
        """When each recipient last wrote, for channels that only allow replies within a window."""
        users_by_channel: defaultdict[str, set[str]] = defaultdict(set)
        for row in rows:
            if self._has_window(row.channel):
                channel, _, user = row.recipient.partition(":")
                users_by_channel[channel].add(user)
        if not users_by_channel:
            return {}
        found: dict[str, datetime] = {}
        async with self._sessions() as session:
            for channel, users in users_by_channel.items():
                params = {"channel": channel, "users": sorted(users)}
                found.update({f"{channel}:{user}": at for user, at in await session.execute(_LAST_INBOUND, params)
                              if at is not None})
        return found

    def _has_window(self, channel: str) -> bool:
        adapter = self._channels.get(channel)
        return adapter is not None and adapter.capabilities.free_window is not None

    def _since(self, channel: str, last_inbound: datetime | None) -> timedelta | None:
        if not self._has_window(channel):
            return None
        return self._clock() - last_inbound if last_inbound is not None else timedelta.max

    async def _take_budget(self, channel: str, row: Claimed) -> None:
        """A budget shared by every replica (Redis), on top of each adapter's own limiter."""
        limit = self._limits.get(channel)
        while limit is not None and (wait := await self._coordinator.take(f"send:{channel}", *limit)) > 0:
            self._starting.settle(row.id)  # no turn batch waits for a send budget
            await asyncio.sleep(wait)

    async def _finish(self, finished: list[Finished]) -> None:
        await store_outcomes(self._sessions, finished, self._clock())
        for item in finished:
            if item.outcome.status == OutboxStatus.SENT:
                self._on_sent(item.row)


async def _by_id(session: AsyncSession, model: Any, ids: set[int | None]) -> dict[int | None, Any]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return {obj.id: obj for obj in await session.scalars(select(model).where(model.id.in_(wanted)))}
