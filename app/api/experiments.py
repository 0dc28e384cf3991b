"""Experiments over the REST API: create, list, start, stop, and read the results per arm."""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.errors import problem, read_model
from app.appkeys import CLOCK, RUNTIME, SESSIONS
from bot.experiments.report import experiment_report, summary
from bot.experiments.spec import ExperimentSpec, template_problems
from bot.experiments.store import ExperimentRefused, all_experiments, create, start, stop
from bot.storage.models import Experiment

REFUSALS = {"not_found": 404, "not_draft": 409, "not_running": 409, "another_running": 409}
Change = Callable[[AsyncSession, int, Any], Awaitable[Experiment]]


async def list_experiments(request: web.Request) -> web.Response:
    async with request.app[SESSIONS]() as session:
        return web.json_response([summary(e) for e in await all_experiments(session)])


async def post_experiment(request: web.Request) -> web.Response:
    spec = await read_model(request, ExperimentSpec)
    if isinstance(spec, web.Response):
        return spec
    problems = template_problems(spec, request.app[RUNTIME].get().services.renderer)
    if problems:
        return problem(422, "unusable_template", "; ".join(problems))
    async with request.app[SESSIONS].begin() as session:
        experiment = await create(session, spec, request.app[CLOCK]())
        body = summary(experiment)
    return web.json_response(body, status=201)


async def get_experiment(request: web.Request) -> web.Response:
    experiment_id = _id(request)
    if experiment_id is None:
        return problem(404, "not_found", "no such experiment")
    async with request.app[SESSIONS]() as session:
        experiment = await session.get(Experiment, experiment_id)
        if experiment is None:
            return problem(404, "not_found", "no such experiment")
        return web.json_response(await experiment_report(session, experiment, request.app[CLOCK]()))


async def start_experiment(request: web.Request) -> web.Response:
    return await _change(request, start)


async def stop_experiment(request: web.Request) -> web.Response:
    return await _change(request, stop)


async def _change(request: web.Request, change: Change) -> web.Response:
    experiment_id = _id(request)
    if experiment_id is None:
        return problem(404, "not_found", "no such experiment")
    try:
        async with request.app[SESSIONS].begin() as session:
            body = summary(await change(session, experiment_id, request.app[CLOCK]()))
    except ExperimentRefused as refused:
        return problem(REFUSALS[refused.reason], refused.reason, str(refused))
    return web.json_response(body)


def _id(request: web.Request) -> int | None:
    text = request.match_info["id"]
    return int(text) if text.isdigit() and len(text) < 18 else None
