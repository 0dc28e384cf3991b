"""Operator endpoints: liveness, readiness (database, Redis, Zalo token, background tasks), Prometheus metrics."""

from __future__ import annotations

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.appkeys import RUNTIME
from app.runtime import Runtime


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """Ready = the database answers, the Zalo token works and no background task keeps failing.

    Redis (`coordination`) is reported but does not make a replica unready: without it the
    replica coordinates in-process and goes on serving.
    """
    runtime = request.app[RUNTIME].get()
    checks = {"database": await _database_answers(runtime), "coordination": await runtime.coordinator.ping()}
    alerts = {}
    if runtime.zalo_tokens is not None:
        checks["zalo_token"] = runtime.zalo_tokens.problem is None
        if runtime.zalo_tokens.problem:
            alerts["zalo_token"] = runtime.zalo_tokens.problem
    tasks = runtime.supervisor.failing()
    ready = all(ok for name, ok in checks.items() if name != "coordination") and not tasks
    body = {"ready": ready, "checks": checks, "alerts": alerts, "tasks": tasks, **_who(runtime)}
    return web.json_response(body, status=200 if ready else 503)


def _who(runtime: Runtime) -> dict[str, object]:
    """Which process answered: its worker number under `haumai serve --workers`, its instance id,
    and whether it holds the scheduler lease (runs sweeps, reminders, polling)."""
    return {"worker": runtime.settings.worker, "instance": runtime.instance_id, "leader": runtime.leader.held}


async def _database_answers(runtime: Runtime) -> bool:
    try:
        async with runtime.sessions() as session:
            await session.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError):
        return False
    return True


async def metrics(_request: web.Request) -> web.Response:
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


def setup_ops(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
