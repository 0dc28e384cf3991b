"""The admins' settings pages: shop settings and message templates, edited in the browser.

Every change goes through bot.shop_config, which validates, stores, audits and tells every
replica. Agents are refused (403): what customers are told is the shop owner's call.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from app.appkeys import RUNTIME
from app.inbox.auth import signed_in
from app.inbox.texts import TEXTS
from app.inbox.views import _field, _lang, _page
from app.runtime import Runtime
from bot.live_settings import EDITABLE, Refused, bounds, spelled
from bot.storage.models import Staff, StaffRole
from bot.template_preview import Preview, previews
from content.renderer import LANGUAGES, Problem

MAX_TEMPLATE = 20_000


def _admin(request: web.Request) -> Staff:
    staff = signed_in(request)
    if staff.role != StaffRole.ADMIN:
        raise web.HTTPForbidden(reason="only admins change the shop's settings")
    return staff


def _fields(runtime: Runtime, lang: str, given: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Each editable setting as the form shows it: its value now (or as just typed), the default."""
    current, env = runtime.settings, runtime.live_settings.env
    return [
        {"name": f.name, "label": getattr(f, lang), "kind": f.kind.value, "bounds": bounds(f.name),
         "value": (given or {}).get(f.name, spelled(current, f.name)), "default": spelled(env, f.name)}
        for f in EDITABLE
    ]


async def settings_page(request: web.Request, *, given: dict[str, str] | None = None,
                        refused: dict[str, str] | None = None) -> web.Response:
    staff, runtime, lang = _admin(request), request.app[RUNTIME].get(), _lang(request)
    return await _page(
        request, "settings.html.j2", staff, fields=_fields(runtime, lang, given), refused=refused or {},
        labels={f.name: getattr(f, lang) for f in EDITABLE},
        saved=request.query.get("saved") == "1", changes=await runtime.shop_config.history(),
        http_status=400 if refused else 200,
    )


async def settings_save(request: web.Request) -> web.Response:
    staff, runtime = _admin(request), request.app[RUNTIME].get()
    form = await request.post()
    wanted = {f.name: _field(form, f.name, 200) for f in EDITABLE if f.name in form}
    try:
        await runtime.shop_config.change_settings(staff, wanted, runtime.clock())
    except Refused as refused:
        return await settings_page(request, given=wanted, refused=refused.reasons)
    raise web.HTTPFound("/settings?saved=1")


async def templates_page(request: web.Request) -> web.Response:
    staff, runtime = _admin(request), request.app[RUNTIME].get()
    renderer = runtime.services.renderer
    return await _page(request, "templates.html.j2", staff, names=renderer.names(), languages=LANGUAGES,
                       rewritten=renderer.rewritten())


def _template_of(request: web.Request, runtime: Runtime) -> tuple[str, str]:
    language, name = request.match_info["lang"], request.match_info["name"]
    if language not in LANGUAGES or name not in runtime.services.renderer.names():
        raise web.HTTPNotFound(reason="no such template")
    return language, name


async def template_page(request: web.Request, *, source: str | None = None, problem: Problem | None = None) -> web.Response:
    staff, runtime = _admin(request), request.app[RUNTIME].get()
    language, name = _template_of(request, runtime)
    renderer = runtime.services.renderer
    shown = previews(renderer, language, name, source)
    return await _page(
        request, "template.html.j2", staff, language=language, template=name,
        source=renderer.source(language, name) if source is None else source,
        packaged=renderer.packaged_source(language, name), variables=sorted(renderer.variables(language, name)),
        previews=shown if isinstance(shown, list) else [], problem=problem,
        saved=request.query.get("saved") == "1", http_status=400 if problem else 200,
    )


async def template_save(request: web.Request) -> web.Response:
    staff, runtime = _admin(request), request.app[RUNTIME].get()
    language, name = _template_of(request, runtime)
    form = await request.post()
    source = _field(form, "source", MAX_TEMPLATE)
    if form.get("reset"):
        source = runtime.services.renderer.packaged_source(language, name)
    problem = await runtime.shop_config.change_template(staff, language, name, source, runtime.clock())
    if problem is not None:
        return await template_page(request, source=source, problem=problem)
    raise web.HTTPFound(f"/settings/templates/{language}/{name}?saved=1")


async def template_preview(request: web.Request) -> web.Response:
    """The editor's live preview, as the admin types: each channel's view, or the problem."""
    _admin(request)
    runtime = request.app[RUNTIME].get()
    language, name = _template_of(request, runtime)
    form = await request.post()
    shown = previews(runtime.services.renderer, language, name, _field(form, "source", MAX_TEMPLATE))
    if isinstance(shown, Problem):
        words = TEXTS[_lang(request)]["settings"]
        where = words["at_line"].format(line=shown.line) if shown.line else ""
        return web.json_response({"problem": {"line": shown.line, "error": shown.error, "where": where}})
    return web.json_response({"previews": [_preview_json(p) for p in shown]})


def _preview_json(preview: Preview) -> dict[str, Any]:
    return {"channel": preview.channel.value, "text": preview.text, "buttons": list(preview.buttons)}


def setup_settings(app: web.Application) -> None:
    app.router.add_get("/settings", settings_page)
    app.router.add_post("/settings", settings_save)
    app.router.add_get("/settings/templates", templates_page)
    app.router.add_get("/settings/templates/{lang}/{name:.+}", template_page)
    app.router.add_post("/settings/templates/{lang}/{name:.+}/preview", template_preview)
    app.router.add_post("/settings/templates/{lang}/{name:.+}", template_save)
