"""Operator endpoints: liveness, readiness (database, Redis, Zalo token), Prometheus metrics."""

from __future__ import annotations

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.appkeys import RUNTIME


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME].get()
    checks: dict[str, bool] = {}
    try:
        async with runtime.sessions() as session:
            await session.execute(text("SELECT 1"))
        checks["database"] = True
    except (SQLAlchemyError, OSError):
        checks["database"] = False
    checks["coordination"] = await runtime.coordinator.ping()
    alerts = {}
    if runtime.zalo_tokens is not None:
        checks["zalo_token"] = runtime.zalo_tokens.problem is None
        if runtime.zalo_tokens.problem:
            alerts["zalo_token"] = runtime.zalo_tokens.problem
    ready = all(checks.values())
    return web.json_response({"ready": ready, "checks": checks, "alerts": alerts}, status=200 if ready else 503)


async def metrics(_request: web.Request) -> web.Response:
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


def setup_ops(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
