"""`haumai doctor`: the configuration checked the way a new shop gets it wrong, each problem
printed with what to do about it.

Checks: the database answers and is migrated; Redis answers when configured; each channel's
tokens come as a complete set; the public URL is one the platforms can call (https, not
localhost) when a channel or order source is configured, and this server answers on it; the
machine's clock agrees with the database's and Redis's (signed links, webhook replay windows
and the schedule all read it).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Awaitable, Callable
from urllib.parse import urlsplit

import aiohttp
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from pydantic import SecretStr
from sqlalchemy import text

from bot.config import Settings
from bot.storage.engine import make_engine
from bot.storage.migrate import alembic_config

MAX_SKEW_SECONDS = 5.0
CHANNEL_SETS = {  # a channel is configured when any of these is set, and works only with all of them
    "telegram": ("telegram_token", "telegram_webhook_secret"),
    "messenger": ("messenger_page_token", "messenger_app_secret", "messenger_verify_token"),
    "zalo": ("zalo_app_id", "zalo_oa_secret_key", "zalo_access_token"),
}
WEBHOOK_PATHS = {"telegram": "/webhooks/telegram", "messenger": "/webhooks/messenger", "zalo": "/webhooks/zalo"}
SOURCE_SECRETS = ("shopify", "haravan", "woocommerce", "signed")


@dataclass(frozen=True)
class Finding:
    ok: bool
    subject: str
    detail: str  # when not ok: what to do


def _set(settings: Settings, name: str) -> bool:
    value = getattr(settings, name)
    return bool(value.get_secret_value() if isinstance(value, SecretStr) else value)


def token_findings(settings: Settings) -> list[Finding]:
    found = [Finding(_set(settings, "api_key"), "REST API key", "set HAUMAI_API_KEY (e.g. python -c 'import secrets; "
                     "print(secrets.token_urlsafe(32))') so the shop's system can send orders")]
    for channel, names in CHANNEL_SETS.items():
        present = [n for n in names if _set(settings, n)]
        if present and len(present) < len(names):
            missing = ", ".join(f"HAUMAI_{n.upper()}" for n in names if n not in present)
            found.append(Finding(False, f"{channel} tokens", f"set {missing} as well, or unset the others"))
        elif present:
            found.append(Finding(True, f"{channel} tokens", "complete"))
    return found


def webhook_findings(settings: Settings) -> tuple[list[Finding], list[str]]:
    """Whether the platforms can reach the public URL, and the URLs to register with them."""
    urls = [f"{settings.public_url}{path}" for channel, path in WEBHOOK_PATHS.items()
            if all(_set(settings, n) for n in CHANNEL_SETS[channel])]
    urls += [f"{settings.public_url}/sources/{p}/webhook" for p in SOURCE_SECRETS if _set(settings, f"{p}_webhook_secret")]
    if not urls:
        return [], []
    parts = urlsplit(settings.public_url)
    found = [Finding(parts.scheme == "https", "public URL is https",
                     f"platforms call webhooks over https only: set HAUMAI_PUBLIC_URL to https://… (now {settings.public_url})"),
             Finding(parts.hostname not in ("127.0.0.1", "localhost", "0.0.0.0", None), "public URL is public",
                     f"{settings.public_url} cannot be reached from the internet: set HAUMAI_PUBLIC_URL to this server's address")]
    return found, urls


async def _answers(url: str) -> Finding:
    try:
        async with aiohttp.ClientSession() as http, http.get(f"{url}/healthz", timeout=aiohttp.ClientTimeout(total=5)) as reply:
            return Finding(reply.status == 200, "this server answers on the public URL",
                           f"{url}/healthz answered {reply.status}: check the proxy in front of haumai serve")
    except (aiohttp.ClientError, TimeoutError) as failure:
        return Finding(False, "this server answers on the public URL",
                       f"{url}/healthz is unreachable ({type(failure).__name__}): start haumai serve, and point the "
                       "proxy or DNS of HAUMAI_PUBLIC_URL at it")


async def database_findings(settings: Settings) -> list[Finding]:
    head = ScriptDirectory.from_config(alembic_config(settings.database_url)).get_current_head()
    engine = make_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            current = await connection.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())
            found = [Finding(current == head, "database migrated",
                             f"the schema is at {current or 'nothing'}, the code needs {head}: run `haumai db upgrade`")]
            if not settings.is_sqlite:
                now = await connection.scalar(text("SELECT now()"))
                found.append(_skew("clock agrees with the database", now))
            return found
    except OSError as failure:
        return [Finding(False, "database reachable", f"cannot connect ({type(failure).__name__}): check HAUMAI_DATABASE_URL")]
    except Exception as failure:  # the driver's own errors (wrong password, no such database) are many classes
        return [Finding(False, "database reachable", f"{type(failure).__name__}: check HAUMAI_DATABASE_URL")]
    finally:
        await engine.dispose()


async def redis_findings(settings: Settings) -> list[Finding]:
    if not settings.redis_url:
        return []
    from redis.asyncio import Redis

    client = Redis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2)
    try:
        seconds, micros = await client.time()
        return [Finding(True, "Redis reachable", "answers"),
                _skew("clock agrees with Redis", datetime.fromtimestamp(seconds + micros / 1e6, timezone.utc))]
    except Exception as failure:  # connection refused, timeout, auth: all "not reachable" to the user
        return [Finding(False, "Redis reachable", f"{type(failure).__name__}: check HAUMAI_REDIS_URL or start Redis "
                        "(without it, each replica coordinates alone)")]
    finally:
        await client.aclose()


def _skew(subject: str, theirs: datetime | None) -> Finding:
    skew = abs((datetime.now(timezone.utc) - theirs).total_seconds()) if theirs else 0.0
    return Finding(skew <= MAX_SKEW_SECONDS, subject, f"this machine's clock is {skew:.0f} s off: enable NTP (timedatectl set-ntp true)")


async def examine(settings: Settings, *, reach: Callable[[str], Awaitable[Finding]] = _answers) -> tuple[list[Finding], list[str]]:
    webhooks, urls = webhook_findings(settings)
    reached = [await reach(settings.public_url)] if urls else []
    return [*await database_findings(settings), *await redis_findings(settings), *token_findings(settings),
            *webhooks, *reached], urls


def run_doctor(settings: Settings) -> int:
    findings, urls = asyncio.run(examine(settings))
    for finding in findings:
        print(f"{'ok ' if finding.ok else 'FIX'}  {finding.subject}" + ("" if finding.ok else f": {finding.detail}"))
    if urls:
        print("webhook URLs to register with the platforms:\n" + "\n".join(f"  {url}" for url in urls))
    problems = sum(not f.ok for f in findings)
    print("everything looks right" if not problems else f"{problems} thing(s) to fix")
    return 1 if problems else 0
