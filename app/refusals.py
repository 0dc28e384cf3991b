"""Refusing what no route can use, before and after routing: one place, every route.

A NUL in a path or query reaches PostgreSQL as an error (it cannot store NUL), so it is
refused before any handler runs; any `Refused` a handler lets out of the shared validation
layer (`untrusted`) becomes the same 400 with its reason, so no route needs its own copy.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from untrusted.fields import clean_text
from untrusted.refused import Refused


def _refusal(detail: str) -> web.Response:
    return web.json_response({"error": "invalid_input", "detail": detail}, status=400)


@web.middleware
async def refuse_bad_input(request: web.Request, handler: Handler) -> web.StreamResponse:
    """400 with a reason for unusable paths and queries, and for bodies refused by `untrusted`."""
    texts = [request.path, *request.query.keys(), *request.query.values()]
    if any(clean_text(text) != text for text in texts):
        return _refusal("the path or query contains NUL or invalid characters")
    try:
        return await handler(request)
    except Refused as refused:
        return _refusal(str(refused))
