"""`haumai serve --workers N`: N processes answering on one port, kept running by a parent.

Each worker is a whole replica (its own event loop, database pool and background tasks) that
binds the port with SO_REUSEPORT, so the kernel spreads connections across them and one busy
loop no longer leaves the other cores idle. The parent migrates the database once, starts the
workers, starts a worker again when one dies, and forwards SIGTERM/SIGINT so every worker
finishes its in-flight work before the command exits. Replicas coordinate through the database
(claims, the scheduler lease, webhook dedupe) and Redis (live updates, send budgets); without
Redis those stay in one process, so several workers then run as one, and the command says why.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from types import FrameType

from bot.config import Settings

log = logging.getLogger("app.workers")
STOP_SECONDS = 30.0  # how long a worker may take to drain after SIGTERM before it is killed
RESTART_PAUSE = 1.0  # between restarts of one worker, so a worker that cannot start does not spin
QUICK_EXIT = 30.0  # a worker that dies sooner than this after its start failed to start
GIVE_UP_AFTER = 5  # failed starts in a row of one worker before the command stops with an error
WHY_ONE = ("several workers need HAUMAI_REDIS_URL: live chat, inbox updates and send budgets "
           "cross processes only through Redis")


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def default_workers(settings: Settings) -> int:
    """One per core on PostgreSQL; one on SQLite, whose file has a single writer. In six full
    `bench.peers` runs on three two-core VMs, two workers on SQLite + Redis answered 0.57–0.93 ×
    the fixed-text bot where one worker answered 0.84–1.19 × in the same run, and in the last two
    a p95 of 184–220 ms against 36–43 ms at a steady load (docs/performance.md): a worker waiting
    for the write lock waits on its event loop (the inline driver, bot/storage/inline_sqlite.py),
    webhooks and all. `--workers N` still starts N."""
    return 1 if settings.is_sqlite else cores()


def workers_to_run(settings: Settings, asked: int | None) -> tuple[int, str | None]:
    """How many workers to start (`default_workers` unless asked), and the reason when it is
    fewer than that."""
    requested = default_workers(settings) if asked is None else asked
    if requested > 1 and settings.redis_url is None:
        return 1, f"serving with 1 worker, not {requested}: {WHY_ONE}"
    return requested, None


@dataclass
class Parent:
    """Starts `count` workers, restarts any that dies, stops them all on a signal."""

    count: int
    command: list[str]  # a worker's argv; the worker's number goes into its environment
    workers: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)
    started_at: dict[int, float] = field(default_factory=dict)
    failed_starts: dict[int, int] = field(default_factory=dict)
    stopping: bool = False
    failure: str | None = None  # why the command gave up, when it did

    def run(self) -> int:
        """Serve until a signal (exit 0) or until a worker keeps failing to start (exit 1)."""
        previous = {signum: signal.signal(signum, self._stop) for signum in (signal.SIGTERM, signal.SIGINT)}
        try:
            for number in range(self.count):
                self._start(number)
            while not self.stopping:
                self._restart_dead()
                time.sleep(0.2)
            self._stop_all()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        return 0 if self.failure is None else 1

    def _start(self, number: int) -> None:
        env = {**os.environ, "HAUMAI_WORKER": str(number), "HAUMAI_AUTO_MIGRATE": "false"}
        self.workers[number] = subprocess.Popen(self.command, env=env)
        self.started_at[number] = time.monotonic()
        log.info("worker started", extra={"worker": number, "pid": self.workers[number].pid})

    def _restart_dead(self) -> None:
        for number, process in list(self.workers.items()):
            code, lived = process.poll(), time.monotonic() - self.started_at[number]
            if code is None or lived < RESTART_PAUSE:
                continue
            self.failed_starts[number] = self.failed_starts.get(number, 0) + 1 if lived < QUICK_EXIT else 0
            if self.failed_starts[number] >= GIVE_UP_AFTER:
                self.failure = f"worker {number} failed to start {GIVE_UP_AFTER} times in a row (exit code {code})"
                self.stopping = True
                return
            log.warning("worker stopped; starting it again", extra={"worker": number, "exit_code": code})
            self._start(number)

    def _stop(self, _signum: int, _frame: FrameType | None) -> None:
        self.stopping = True

    def _stop_all(self) -> None:
        for process in self.workers.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for process in self.workers.values():
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def check_port(host: str, port: int) -> str | None:
    """Why `host:port` cannot be listened on (taken, not allowed, unknown host), or None: said once,
    before any worker starts, rather than by every worker failing in turn."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                                flags=socket.AI_PASSIVE)[0]
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
            probe.bind(address)
    except OSError as failure:
        return f"cannot listen on {host}:{port}: {failure.strerror or failure}"
    return None


def worker_command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "bot", "serve", "--host", host, "--port", str(port), "--workers", "1", "--reuse-port"]
