"""`/dashboard/experiments`: each experiment's outcomes per arm, and, for admins, creating,
starting and stopping them. Arms are typed one a line, as an owner would say them:

    holdout 10 holdout
    control 45
    fast 45 thanks_delay=2h coupon_percent=15 shipper_phone=no thanks_coupon>thanks
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import ValidationError

from app.appkeys import RUNTIME
from app.dashboard.views import _render, language
from app.inbox.auth import signed_in
from app.inbox.views import _field
from bot.experiments.report import experiment_report
from bot.experiments.spec import ExperimentSpec, template_problems
from bot.experiments.store import ExperimentRefused, all_experiments, create, start, stop
from bot.storage.models import StaffRole

MAX_ARMS_TEXT = 2_000
WORDS: dict[str, dict[str, Any]] = {
    "vi": {"title": "Thử nghiệm", "new": "Tạo thử nghiệm", "name": "Tên", "arms": "Các nhóm (mỗi dòng một nhóm)",
           "create": "Tạo", "start": "Bắt đầu", "stop": "Dừng", "arm": "Nhóm", "orders": "Đơn",
           "outcome": "Chỉ số", "vs_control": "So với nhóm đối chứng", "needed": "cần thêm {n} đơn",
           "higher": "cao hơn", "lower": "thấp hơn", "not enough data yet": "chưa đủ dữ liệu",
           "none": "Chưa có thử nghiệm nào.", "status": {"draft": "nháp", "running": "đang chạy", "stopped": "đã dừng"}},
    "en": {"title": "Experiments", "new": "New experiment", "name": "Name", "arms": "Arms (one a line)",
           "create": "Create", "start": "Start", "stop": "Stop", "arm": "Arm", "orders": "Orders",
           "outcome": "Outcome", "vs_control": "Against control", "needed": "{n} more orders needed",
           "higher": "higher", "lower": "lower", "not enough data yet": "not enough data yet",
           "none": "No experiments yet.", "status": {"draft": "draft", "running": "running", "stopped": "stopped"}},
}


def arms_from_lines(text: str) -> list[dict[str, Any]]:
    """`name weight [holdout] [key=value…] [template>template…]` per line → arms as the spec reads them."""
    arms = []
    for line in text.splitlines():
        words = line.split()
        if not words:
            continue
        arm: dict[str, Any] = {"name": words[0], "weight": words[1] if len(words) > 1 else "", "templates": {}}
        for word in words[2:]:
            if word == "holdout":
                arm["holdout"] = True
            elif ">" in word:
                old, _, new = word.partition(">")
                arm["templates"][old] = new
            else:
                key, _, value = word.partition("=")
                arm[key] = value not in ("no", "false") if key == "shipper_phone" else value
        arms.append(arm)
    return arms


async def experiments_page(request: web.Request, *, refused: str = "", status: int = 200) -> web.Response:
    staff, runtime, lang = signed_in(request), request.app[RUNTIME].get(), language(request)
    async with runtime.sessions() as db:
        shown = [await experiment_report(db, e, runtime.clock()) for e in (await all_experiments(db))[:10]]
    response = await _render(request, "experiments.html.j2", staff, lang, experiments=shown, w=WORDS[lang],
                             admin=staff.role == StaffRole.ADMIN, refused=refused)
    response.set_status(status)
    return response


def _admin(request: web.Request) -> None:
    if signed_in(request).role != StaffRole.ADMIN:
        raise web.HTTPForbidden(reason="only admins create, start or stop experiments")


async def experiment_create(request: web.Request) -> web.Response:
    _admin(request)
    form = await request.post()
    try:
        spec = ExperimentSpec.model_validate({"name": _field(form, "name", 100),
                                              "arms": arms_from_lines(_field(form, "arms", MAX_ARMS_TEXT))})
    except ValidationError as failure:
        reasons = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in failure.errors(include_url=False))
        return await experiments_page(request, refused=reasons, status=400)
    runtime = request.app[RUNTIME].get()
    problems = template_problems(spec, runtime.services.renderer)
    if problems:
        return await experiments_page(request, refused="; ".join(problems), status=400)
    async with runtime.sessions.begin() as db:
        await create(db, spec, runtime.clock())
    raise web.HTTPFound("/dashboard/experiments")


async def experiment_change(request: web.Request) -> web.Response:
    _admin(request)
    runtime, action = request.app[RUNTIME].get(), request.match_info["action"]
    identifier = request.match_info["id"]
    if action not in ("start", "stop") or not identifier.isdigit() or len(identifier) > 17:
        raise web.HTTPNotFound(reason="no such experiment")
    try:
        async with runtime.sessions.begin() as db:
            await (start if action == "start" else stop)(db, int(identifier), runtime.clock())
    except ExperimentRefused as refused:
        return await experiments_page(request, refused=str(refused), status=409)
    raise web.HTTPFound("/dashboard/experiments")


def setup_experiment_pages(app: web.Application) -> None:
    app.router.add_get("/dashboard/experiments", experiments_page)
    app.router.add_post("/dashboard/experiments", experiment_create)
    app.router.add_post("/dashboard/experiments/{id}/{action}", experiment_change)
