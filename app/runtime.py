"""Everything a running replica owns, built in dependency order and closed in reverse."""

from __future__ import annotations

import os
import socket
import uuid
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

import aiohttp
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.channels_setup import build_channels, zalo_credentials
from app.rollups import ROLLUP_SECONDS, Rollups
from app.secretkey import ensure_secret_key
from app.shutdown import close_within
from bot.clock import Clock
from bot.config import Settings
from bot.conversation_events import TOPIC
from bot.coordination import Coordinator, make_coordinator
from bot.group_commit import GroupCommit
from bot.ingest import Ingestor
from bot.lease import RENEW_SECONDS, SCHEDULER, Lease
from bot.live_settings import LiveSettings
from bot.processing import Processor
from bot.retraining import Retrainer
from bot.shop_config import RELOAD_SECONDS, ShopConfig
from bot.storage.engine import make_sessionmaker
from bot.supervisor import Supervisor
from bot.turn import Services
from bot.zalo_token_store import SqlTokenStore
from carriers.base import Carrier
from bot.returns.parcels import Pickups
from bot.returns.photos import PhotoFetcher
from bot.returns.tools import ReturnTools
from carriers.registry import build_carriers, return_pickups
from channels.base import Channel
from channels.zalo_tokens import ZaloTokenKeeper
from content.renderer import Renderer
from handlers import build_pipeline
from scheduler import sweeper
from scheduler.clock import Job, make_clock
from scheduler.dispatcher import Dispatcher
from scheduler.journey import JourneyPlanner, Reminders
from tracking.ingest import Applied, Delivery, TrackingIngest
from tracking.polling import Poller

TICK_SECONDS = 1.0
SWEEP_SECONDS = 15.0
REMIND_SECONDS = 60.0
POLL_SECONDS = 30.0
ZALO_TOKEN_SECONDS = 300.0


def carriers_of(settings: Settings) -> dict[str, Carrier]:
    def reveal(value: Any) -> str | None:
        return value.get_secret_value() if value is not None else None

    return build_carriers(
        ghn_token=reveal(settings.ghn_token), ghn_shop_id=settings.ghn_shop_id, ghn_api_base=settings.ghn_api_base,
        ghtk_token=reveal(settings.ghtk_token), ghtk_api_base=settings.ghtk_api_base,
        ghtk_partner_code=settings.ghtk_partner_code,
        viettelpost_token=reveal(settings.viettelpost_token),
        ninjavan_client_key=reveal(settings.ninjavan_client_key),
    )


def instance_name(settings: Settings) -> str:
    return settings.instance_id or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


@dataclass
class Runtime:
    live_settings: LiveSettings
    clock: Clock
    instance_id: str
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    coordinator: Coordinator
    http: aiohttp.ClientSession
    secret: bytes
    channels: dict[str, Channel]
    services: Services
    ingestor: Ingestor
    processor: Processor
    dispatcher: Dispatcher
    planner: JourneyPlanner
    reminders: Reminders
    carriers: dict[str, Carrier]
    tracking: TrackingIngest
    carrier_writes: GroupCommit[Delivery, list[Applied]]
    poller: Poller
    shop_config: ShopConfig
    leader: Lease
    zalo_tokens: ZaloTokenKeeper | None = None
    scheduler: AsyncIOScheduler | None = None
    supervisor: Supervisor = field(default_factory=Supervisor)

    @property
    def settings(self) -> Settings:
        """The shop's settings now (the environment's, with what admins changed in the browser)."""
        return self.live_settings.current

    async def remind(self) -> None:
        async with self.sessions.begin() as session:
            await self.reminders.run(session)
        self.dispatcher.wake()

    async def poll(self) -> None:
        if await self.poller.run_once():
            self.dispatcher.wake()

    async def refresh_zalo_token(self) -> None:
        if self.zalo_tokens is not None:
            await self.zalo_tokens.refresh_if_due()

    async def sweep(self) -> None:
        await sweeper.expire_claims(self.sessions, self.clock)
        for accepted in await sweeper.reclaim_inbound(self.sessions, self.clock, self.instance_id):
            self.processor.submit(accepted)


async def start_runtime(
    settings: Settings, clock: Clock, stack: AsyncExitStack, engine: AsyncEngine
) -> Runtime:
    """Build every component; `stack` closes them in reverse order."""
    close_within(stack, "database", engine.dispose)
    sessions = make_sessionmaker(engine)
    coordinator = make_coordinator(settings.redis_url)
    close_within(stack, "coordination", coordinator.aclose)
    http = await stack.enter_async_context(aiohttp.ClientSession())
    configured = settings.secret_key.get_secret_value() if settings.secret_key else None
    secret = await ensure_secret_key(sessions, configured, clock)
    instance_id = instance_name(settings)
    credentials = zalo_credentials(settings)
    zalo_tokens = None if credentials is None else ZaloTokenKeeper(
        SqlTokenStore(sessions, clock), http, credentials, clock=clock, holder=instance_id)
    channels = await build_channels(
        settings, http, secret, lambda user, msg: coordinator.publish(f"web:{user}", msg), zalo_tokens
    )
    for name, channel in channels.items():
        close_within(stack, f"channel {name}", channel.aclose)
    parts = (engine, sessions, coordinator, http, secret, channels, instance_id, zalo_tokens)
    return await _assemble(settings, clock, stack, *parts)


async def _assemble(settings: Settings, clock: Clock, stack: AsyncExitStack, *parts: Any) -> Runtime:
    engine, sessions, coordinator, http, secret, channels, instance_id, zalo_tokens = parts
    live = LiveSettings(settings)
    returns = ReturnTools(PhotoFetcher(http, lambda: live.current), Pickups(http, return_pickups()))
    services = Services(live, Renderer(settings.language, settings.timezone), secret, clock, returns)
    shop_config = ShopConfig(live, services.renderer, sessions, coordinator)
    await shop_config.reload()  # the shop's own settings and templates from the first message on
    ingestor = Ingestor(sessions, instance_id=instance_id, clock=clock)
    supervisor = Supervisor(clock=clock)  # /readyz reports failing_since on the replica's clock
    dispatcher = Dispatcher(sessions, channels, coordinator, live, clock=clock, instance_id=instance_id,
                            take_turns=ingestor.take_turns, supervisor=supervisor)

    async def committed(left_pending: bool) -> None:
        if left_pending:  # the replies due now were handed over as the batch committed
            dispatcher.wake()
        await coordinator.publish(TOPIC, {})  # wake live inboxes; they read the event log

    async def before_turns() -> None:
        """Acks owed first, then the replies already committed leave: see docs/performance.md."""
        await ingestor.take_turns()
        await dispatcher.sends_started()

    processor = Processor(sessions, build_pipeline(), services, channels, committed,
                          take_turns=before_turns, hand_over=dispatcher.hand_over)
    planner = JourneyPlanner(services)
    carriers = carriers_of(settings)
    tracking = TrackingIngest(planner, http, clock)
    carrier_writes: GroupCommit[Delivery, list[Applied]] = GroupCommit(sessions, tracking.store, name="carrier-writes")
    runtime = Runtime(
        live, clock, instance_id, engine, sessions, coordinator, http, secret, channels,
        services, ingestor, processor, dispatcher, planner, Reminders(planner, services),
        carriers, tracking, carrier_writes, Poller(sessions, carriers, tracking, http, coordinator, clock),
        shop_config, Lease(sessions, SCHEDULER, instance_id, clock), zalo_tokens, supervisor=supervisor,
    )
    close_within(stack, "processing", processor.stop)
    close_within(stack, "handed-over sends", dispatcher.stop)  # after the turn worker (the supervisor's) stops
    close_within(stack, "background tasks", supervisor.stop)
    ingestor.start(supervisor)
    carrier_writes.start(supervisor)
    processor.start(supervisor)
    await runtime.leader.renew()  # the first replica up leads from its first tick
    close_within(stack, "scheduler lease", runtime.leader.release)
    _start_background(runtime, stack)
    return runtime


def leader_only(lease: Lease, job: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[None]]:
    """A once-per-deployment job: on every other replica its tick does nothing. A lapsed lease is
    renewed first, so a leader whose clock jumped (or whose renewal tick was late) keeps its jobs."""
    async def run() -> None:
        if lease.held or await lease.renew():
            await job()
    return run


def _start_background(runtime: Runtime, stack: AsyncExitStack) -> None:
    supervisor = runtime.supervisor
    runtime.dispatcher.start()
    supervisor.run("config", runtime.shop_config.follow)
    leader = runtime.leader
    jobs: dict[str, tuple[Job, float]] = {  # every replica dispatches: its claims are token-fenced
        "config_reload": (runtime.shop_config.reload, RELOAD_SECONDS),
        "dispatch": (runtime.dispatcher.wake, TICK_SECONDS),
        "lease": (leader.renew, RENEW_SECONDS),
        "sweep": (leader_only(leader, runtime.sweep), SWEEP_SECONDS),
        "remind": (leader_only(leader, runtime.remind), REMIND_SECONDS),
        "poll": (leader_only(leader, runtime.poll), POLL_SECONDS),
        "zalo_token": (leader_only(leader, runtime.refresh_zalo_token), ZALO_TOKEN_SECONDS),
        "dashboard_rollups": (leader_only(leader, Rollups(runtime.sessions, runtime.clock, lambda: runtime.settings.zone).run),
                              ROLLUP_SECONDS),
        # every replica retrains on the shared labels: each one's classifier lives in its own memory
        "nlu_retrain": (Retrainer(runtime.sessions).once, runtime.settings.nlu_retrain_interval.total_seconds()),
    }
    clock = make_clock(
        {name: (supervisor.guarded(name, job), seconds) for name, (job, seconds) in jobs.items()},
        runtime.settings.timezone,
    )
    clock.start()
    runtime.scheduler = clock
    stack.callback(clock.shutdown, wait=False)
    runtime.dispatcher.wake()
