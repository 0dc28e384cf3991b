"""Bearer-key authentication for `/api/v1` (constant-time; the key is never echoed)."""

from __future__ import annotations

import hmac

from aiohttp import web
from aiohttp.typedefs import Handler

from app.api.errors import problem
from app.appkeys import SETTINGS

PUBLIC = frozenset({"/api/v1/openapi.json"})


@web.middleware
async def require_api_key(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith("/api/v1/") or request.path in PUBLIC:
        return await handler(request)
    key = request.app[SETTINGS].api_key
    if key is None:
        return problem(403, "api_disabled", "HAUMAI_API_KEY is not configured, so the REST API refuses all calls")
    given = request.headers.get("Authorization", "")
    if not given.startswith("Bearer "):
        return problem(401, "missing_api_key", "send Authorization: Bearer <HAUMAI_API_KEY>")
    if not hmac.compare_digest(given[7:].encode(), key.get_secret_value().encode()):
        return problem(403, "invalid_api_key", "the API key is wrong")
    return await handler(request)
