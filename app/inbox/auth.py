"""Staff sessions (encrypted cookies valid on any replica), CSRF, and the login guard.

The cookie key is derived from the shop's secret, which is only known once the runtime has
started, so the cookie storage is built on first use rather than at setup. The cookie alone
never signs anyone in: it names a login that must still be live in the database (logins.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from aiohttp import web
from aiohttp.typedefs import Handler
from aiohttp_session import AbstractStorage, Session, get_session, session_middleware
from aiohttp_session.cookie_storage import EncryptedCookieStorage

from app.appkeys import RUNTIME, SETTINGS
from app.inbox import logins
from bot.storage.models import Staff

PROTECTED = ("/inbox", "/dashboard", "/settings", "/logout")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf"
LOGIN_FIELD = "login"
SIGNED_IN = web.RequestKey("signed_in", Staff)


class LazyCookieStorage(AbstractStorage):
    def __init__(self, app: web.Application) -> None:
        super().__init__(cookie_name="haumai_staff")
        self._app = app
        self._inner: EncryptedCookieStorage | None = None

    def _storage(self) -> EncryptedCookieStorage:
        if self._inner is None:
            runtime = self._app[RUNTIME].get()
            key = hashlib.sha256(b"staff-session:" + runtime.secret).digest()  # 32 raw bytes: Fernet
            secure = self._app[SETTINGS].public_url.startswith("https://")
            self._inner = EncryptedCookieStorage(
                key, cookie_name="haumai_staff", httponly=True, samesite="Lax", secure=secure,
                max_age=int(logins.LIFETIME.total_seconds()),
            )
        return self._inner

    async def load_session(self, request: web.Request) -> Session:
        return await self._storage().load_session(request)

    async def save_session(self, request: web.Request, response: web.StreamResponse, session: Session) -> None:
        await self._storage().save_session(request, response, session)


def csrf_token(session: Session) -> str:
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(24)
    return str(session[CSRF_FIELD])


async def _given_token(request: web.Request) -> str:
    header = request.headers.get("X-CSRF-Token")
    if header:
        return header
    form = await request.post()
    return str(form.get(CSRF_FIELD, ""))


def _foreign_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    return bool(origin) and origin != f"{request.scheme}://{request.host}"


def signed_in(request: web.Request) -> Staff:
    """The staff member the guard admitted to this protected request."""
    return request[SIGNED_IN]


async def _live_login(request: web.Request, session: Session) -> Staff | None:
    """The session's staff member while its login lives; an ended login empties the session,
    CSRF token included, so a replayed cookie can neither read nor post."""
    token = session.get(LOGIN_FIELD)
    if not isinstance(token, str):
        return None
    runtime = request.app[RUNTIME].get()
    async with runtime.sessions() as db:
        staff = await logins.holder(db, token, runtime.clock())
    if staff is None:
        session.invalidate()
    return staff


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Staff pages need a live login; every state-changing request needs the session's CSRF token."""
    if not request.path.startswith(PROTECTED + ("/login",)):
        return await handler(request)
    session = await get_session(request)
    staff = await _live_login(request, session)
    if request.method not in SAFE_METHODS:
        expected = session.get(CSRF_FIELD, "")
        if _foreign_origin(request) or not expected or not hmac.compare_digest(await _given_token(request), expected):
            return web.json_response({"error": "csrf", "detail": "missing or wrong CSRF token"}, status=403)
    if request.path.startswith(PROTECTED):
        if staff is None:
            if request.path.endswith("/stream") or request.headers.get("Accept", "").startswith("application/json"):
                return web.json_response({"error": "login_required", "detail": "log in first"}, status=401)
            raise web.HTTPFound("/login")
        request[SIGNED_IN] = staff
    return await handler(request)


def setup_auth(app: web.Application) -> None:
    app.middlewares.append(session_middleware(LazyCookieStorage(app)))
    app.middlewares.append(guard)
