"""Zalo OA tokens: the 25 h access token refreshed before it expires, by one replica at a time.

Zalo's refresh token is single use: every refresh returns a new one and kills the old. Two
replicas refreshing together would leave one of them, and then everyone, holding a dead
token, so a refresh first takes a lease in the database, and the new pair is committed
before anyone uses it. The state lives in the shared `kv` table, not in memory, so every
replica (and the next deploy) sees the newest pair. The environment's tokens only seed it:
they are taken again only when the operator puts a different refresh token there (a re-grant).

The state is kept behind `TokenStore`, so this module knows Zalo and not our database: the
engine's SQL store (bot.zalo_token_store) implements it, and app/ hands it in.
"""

from __future__ import annotations

import hashlib
import json
import logging
from contextlib import AbstractAsyncContextManager
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Protocol

import aiohttp

log = logging.getLogger("channels.zalo_tokens")
REFRESH_BEFORE = timedelta(hours=2)  # of the 25 h: ample time for a few failed attempts
LEASE = timedelta(seconds=60)
RELOAD_EVERY = timedelta(minutes=5)  # other replicas pick up a refreshed pair this quickly
TIMEOUT = aiohttp.ClientTimeout(total=10)


@dataclass(frozen=True, slots=True)
class ZaloCredentials:
    app_id: str
    app_secret: str  # the app's secret key, sent as the `secret_key` header of the OAuth call
    access_token: str
    refresh_token: str
    oauth_base: str = "https://oauth.zaloapp.com"


@dataclass(slots=True)
class TokenState:
    access_token: str
    refresh_token: str
    expires_at: str | None  # ISO; None = unknown (seeded from the environment): refresh soon
    seed: str  # fingerprint of the environment refresh token this state grew from
    lease_holder: str | None = None
    lease_until: str | None = None
    last_error: str | None = None
    refreshed_at: str | None = None

    def expires(self) -> datetime | None:
        return datetime.fromisoformat(self.expires_at) if self.expires_at else None

    def leased_by_other(self, holder: str, now: datetime) -> bool:
        return bool(self.lease_holder and self.lease_holder != holder and self.lease_until
                    and datetime.fromisoformat(self.lease_until) > now)


class StoredTokens(Protocol):
    """The stored state within one transaction, which commits when it closes."""

    async def read(self, initial: str) -> str:
        """The stored state; `initial` is stored first when there is none (replicas starting together store it once)."""

    async def write(self, state: str) -> None:
        """Replace the stored state."""


class TokenStore(Protocol):
    """Where every replica finds the newest token pair."""

    def transaction(self, *, lock: bool) -> AbstractAsyncContextManager[StoredTokens]:
        """A transaction over the state; with `lock`, no other replica reads it locked until it ends."""


class RefreshFailed(Exception):
    """Zalo refused the refresh (a person must grant access again) or could not be reached."""


def fingerprint(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:16]


class ZaloTokenKeeper:
    """The AccessTokens the Zalo adapter asks, and the job that keeps them fresh."""

    def __init__(
        self, store: TokenStore, http: aiohttp.ClientSession,
        credentials: ZaloCredentials, *, clock: Callable[[], datetime], holder: str,
    ) -> None:
        self._store, self._http, self._credentials = store, http, credentials
        self._clock, self._holder = clock, holder
        self._state: TokenState | None = None
        self._loaded_at: datetime | None = None

    @property
    def can_refresh(self) -> bool:
        return bool(self._credentials.refresh_token and self._credentials.app_secret)

    @property
    def problem(self) -> str | None:
        """Why Zalo sending is in danger, for /readyz; None when the token is healthy."""
        return self._state.last_error if self._state is not None else None

    async def current(self) -> str:
        now = self._clock()
        if self._state is None or self._loaded_at is None or now - self._loaded_at > RELOAD_EVERY:
            await self._load()
        assert self._state is not None
        return self._state.access_token

    async def rejected(self, token: str) -> bool:
        await self._load()
        assert self._state is not None
        if self._state.access_token != token:
            return True  # another replica refreshed meanwhile: retry with the new one
        return await self.refresh(force=True)

    async def refresh_if_due(self) -> bool:
        return await self.refresh(force=False)

    async def refresh(self, *, force: bool) -> bool:
        """True when a usable, fresh token is (or is being made) available."""
        if not self.can_refresh:
            return False
        claimed = await self._claim(force)
        if claimed is None:
            return True
        try:
            fresh = await self._exchange(claimed.refresh_token)
        except RefreshFailed as failure:
            await self._finish(error=str(failure))
            log.error("Zalo token refresh failed; re-grant OA access if this persists", extra={"reason": str(failure)})
            return False
        await self._finish(fresh=fresh)
        log.info("Zalo access token refreshed")
        return True

    async def _claim(self, force: bool) -> TokenState | None:
        """Take the refresh lease; None when no refresh is needed or another replica is at it."""
        now = self._clock()
        async with self._store.transaction(lock=True) as stored:
            state = await self._read(stored)
            expires = state.expires()
            due = force or expires is None or expires - now <= REFRESH_BEFORE
            if not due or state.leased_by_other(self._holder, now):
                self._remember(state)
                return None
            state.lease_holder, state.lease_until = self._holder, (now + LEASE).isoformat()
            await self._write(stored, state)
        return state

    async def _finish(self, *, fresh: dict[str, Any] | None = None, error: str | None = None) -> None:
        """Store the new pair (or the failure) only if we still hold the lease."""
        now = self._clock()
        async with self._store.transaction(lock=True) as stored:
            state = await self._read(stored)
            if state.lease_holder != self._holder:
                log.warning("lost the Zalo refresh lease before finishing; keeping the stored pair")
                self._remember(state)
                return
            if fresh is not None:
                state.access_token, state.refresh_token = fresh["access_token"], fresh["refresh_token"]
                state.expires_at = (now + timedelta(seconds=int(fresh["expires_in"]))).isoformat()
                state.refreshed_at, state.last_error = now.isoformat(), None
            else:
                state.last_error = error
            state.lease_holder = state.lease_until = None
            await self._write(stored, state)
        self._remember(state)

    async def _exchange(self, refresh_token: str) -> dict[str, Any]:
        """OAuth v4: form-encoded, the app secret in the `secret_key` header (docs/platforms.md §1.6)."""
        form = {"refresh_token": refresh_token, "app_id": self._credentials.app_id, "grant_type": "refresh_token"}
        url = f"{self._credentials.oauth_base.rstrip('/')}/v4/oa/access_token"
        try:
            async with self._http.post(url, data=form, headers={"secret_key": self._credentials.app_secret},
                                       timeout=TIMEOUT) as response:
                reply = await response.json(content_type=None)
                status = response.status
        except (TimeoutError, aiohttp.ClientError, ValueError) as failure:
            raise RefreshFailed(f"cannot reach Zalo OAuth: {type(failure).__name__}") from failure
        if status >= 400 or not isinstance(reply, dict) or not reply.get("access_token") or not reply.get("refresh_token"):
            code = reply.get("error") if isinstance(reply, dict) else None
            message = reply.get("message") or reply.get("error_name") if isinstance(reply, dict) else None
            raise RefreshFailed(f"Zalo OAuth refused the refresh (HTTP {status}, error {code}: {message})")
        return {"access_token": str(reply["access_token"]), "refresh_token": str(reply["refresh_token"]),
                "expires_in": int(str(reply.get("expires_in") or 90000))}

    async def _load(self) -> None:
        async with self._store.transaction(lock=False) as stored:
            self._remember(await self._read(stored))

    def _remember(self, state: TokenState) -> None:
        self._state, self._loaded_at = state, self._clock()

    async def _read(self, stored: StoredTokens) -> TokenState:
        """The stored state, (re)seeded from the environment when the operator changed it."""
        seed = fingerprint(self._credentials.refresh_token or self._credentials.access_token)
        seeded = TokenState(self._credentials.access_token, self._credentials.refresh_token, None, seed)
        state = TokenState(**json.loads(await stored.read(json.dumps(asdict(seeded)))))
        if state.seed == seed:
            return state
        await self._write(stored, seeded)  # the operator put a new grant in the environment
        return seeded

    async def _write(self, stored: StoredTokens, state: TokenState) -> None:
        await stored.write(json.dumps(asdict(state)))
