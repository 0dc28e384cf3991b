"""Inbox pages and actions. Customer text is always escaped (autoescaped templates)."""

from __future__ import annotations

import math
import uuid
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web
from aiohttp_session import get_session

from app.appkeys import RUNTIME
from app.inbox import actions, corrections, live, logins, queries
from app.inbox.auth import LOGIN_FIELD, csrf_token, signed_in
from app.inbox.staff import authenticate
from app.inbox.texts import TEXTS
from app.inbox.throttle import wait_before_login
from app.runtime import Runtime
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.returns.views import waiting_for_staff
from bot.taps import shown_text
from bot.storage.models import CannedReply, Conversation, Staff, StaffRole
from content.filters import status_label
from untrusted.fields import INT32, clean_text, whole_number

PAGES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def _lang(request: web.Request) -> str:
    wanted = request.query.get("lang") or request.cookies.get("haumai_lang") or "vi"
    return wanted if wanted in TEXTS else "vi"


async def _page(request: web.Request, name: str, staff: Staff | None, *, http_status: int = 200,
                after: int | None = None, **variables: Any) -> web.Response:
    """`after`: the newest inbox event, read before the page's own content (its live stream starts
    there); a page whose content is not live reads it here, before the waiting count."""
    runtime: Runtime = request.app[RUNTIME].get()
    session, lang = await get_session(request), _lang(request)
    async with runtime.sessions() as db:
        after = await live.newest_event(db) if after is None else after
        waiting = await queries.waiting_count(db)
        returns_waiting = await waiting_for_staff(db)
    zone = runtime.settings.zone
    html = PAGES.get_template(name).render(
        t=TEXTS[lang], lang=lang, csrf=csrf_token(session), staff=staff, waiting=waiting, after=after,
        waited=lambda since: queries.waited(since, runtime.clock(), TEXTS[lang]),
        local=lambda moment: moment.astimezone(zone).strftime("%H:%M %d/%m") if moment else "",
        status=lambda value: status_label(value, lang) if value else TEXTS[lang]["update"], shown=shown_text,
        returns_waiting=returns_waiting, **variables,
    )
    response = web.Response(text=html, content_type="text/html", status=http_status)
    response.set_cookie("haumai_lang", lang, httponly=True, samesite="Lax")
    return response


async def login_page(request: web.Request) -> web.Response:
    return await _page(request, "login.html.j2", None, error=None)


async def login(request: web.Request) -> web.Response:
    runtime: Runtime = request.app[RUNTIME].get()
    t = TEXTS[_lang(request)]
    form = await request.post()
    email = _field(form, "email", 320)
    wait = await wait_before_login(runtime.coordinator, request.remote, email)
    if wait > 0:
        return await _page(request, "login.html.j2", None, error=t["slow_down"].format(minutes=math.ceil(wait / 60)))
    async with runtime.sessions() as db:
        staff = await authenticate(db, email, _field(form, "password", 1000))
    if staff is None:
        return await _page(request, "login.html.j2", None, error=t["bad_login"])
    async with runtime.sessions.begin() as db:
        token = await logins.start(db, staff.id, runtime.clock())
    session = await get_session(request)
    session.invalidate()  # a fresh session (and CSRF token) after login: no fixation
    session[LOGIN_FIELD] = token
    raise web.HTTPFound("/inbox")


async def logout(request: web.Request) -> web.Response:
    session = await get_session(request)
    async with request.app[RUNTIME].get().sessions.begin() as db:
        await logins.end(db, str(session[LOGIN_FIELD]))
    session.invalidate()
    raise web.HTTPFound("/login")


async def inbox(request: web.Request) -> web.Response:
    staff = signed_in(request)
    filters = queries.Filters(
        channel=request.query.get("channel") or None, status=request.query.get("status") or None,
        search=request.query.get("q", "")[:100], page=_number(request.query.get("page", "1")),
    )
    async with request.app[RUNTIME].get().sessions() as db:
        after = await live.newest_event(db)
        rows = await queries.conversation_list(db, filters, staff.id)
    return await _page(request, "list.html.j2", staff, after=after, rows=rows, filters=filters, page_size=queries.PAGE)


def _field(form: Any, name: str, limit: int) -> str:
    """A form value the database can store: NUL and lone surrogates cleaned, size bounded."""
    return clean_text(str(form.get(name, ""))).strip()[:limit]


def _number(text: str) -> int:
    return whole_number(text, at_most=99_999) or 1


async def conversation_page(request: web.Request, conflict: str | None = None) -> web.Response:
    staff, runtime = signed_in(request), request.app[RUNTIME].get()
    async with runtime.sessions.begin() as db:
        after = await live.newest_event(db)
        conversation = await _conversation(db, request)
        if conversation.assigned_staff_id == staff.id:
            conversation.unread = 0
        card = await queries.customer_card(db, conversation)
        history = await queries.history(db, conversation.id)
        colleagues = list(await db.scalars(select(Staff).order_by(Staff.name)))
        canned = list(await db.scalars(select(CannedReply).order_by(CannedReply.title)))
    return await _page(request, "conversation.html.j2", staff, after=after, conversation=conversation, card=card,
                       history=history, conflict=conflict, client_id=uuid.uuid4().hex,
                       colleagues=colleagues, canned=canned)


async def canned_page(request: web.Request) -> web.Response:
    staff = signed_in(request)
    async with request.app[RUNTIME].get().sessions() as db:
        canned = list(await db.scalars(select(CannedReply).order_by(CannedReply.title)))
    return await _page(request, "canned.html.j2", staff, canned=canned)


async def canned_edit(request: web.Request) -> web.Response:
    """Only admins keep the shop's ready answers."""
    staff, runtime = signed_in(request), request.app[RUNTIME].get()
    if staff.role != StaffRole.ADMIN:
        raise web.HTTPForbidden(reason="only admins edit canned replies")
    form = await request.post()
    title, text = _field(form, "title", 100), _field(form, "text", 2000)
    async with runtime.sessions.begin() as db:
        if form.get("delete"):
            await db.execute(delete(CannedReply).where(CannedReply.id == _number(str(form["delete"]))))
        elif title and text:
            db.add(CannedReply(title=title, text=text, created_at=runtime.clock()))
    raise web.HTTPFound("/inbox/canned")


async def _conversation(db: AsyncSession, request: web.Request) -> Conversation:
    raw = request.match_info["id"]
    number = whole_number(raw)
    conversation = await db.get(Conversation, number) if number is not None else None
    if conversation is None:
        raise web.HTTPNotFound(reason="no such conversation")
    return conversation


async def act(request: web.Request) -> web.Response:
    staff, runtime = signed_in(request), request.app[RUNTIME].get()
    form, action, now = await request.post(), request.match_info["action"], runtime.clock()
    try:
        async with runtime.sessions.begin() as db:
            conversation = await _conversation(db, request)
            await _apply(runtime, db, action, conversation, staff, form, now)
    except actions.Conflict:
        return await conversation_page(request, conflict=TEXTS[_lang(request)]["taken"])
    runtime.dispatcher.wake()
    await runtime.coordinator.publish("inbox", {})
    raise web.HTTPFound(f"/inbox/c/{request.match_info['id']}")


async def _apply(runtime: Runtime, db: Any, action: str, conversation: Conversation, staff: Staff, form: Any, now: Any) -> None:
    text = _field(form, "text", 20_000)
    if action == "take":
        version = whole_number(_field(form, "version", 20), at_most=INT32)
        await actions.take_over(db, conversation.id, staff.id, -1 if version is None else version, now)
    elif action == "release":
        await actions.release(db, conversation, now)
    elif action == "resolve":
        await actions.resolve(db, conversation, runtime.planner.after_resolution, now)
    elif action == "reply" and text:
        await actions.reply(db, conversation, text, _field(form, "client_id", 64) or uuid.uuid4().hex, now)
    elif action == "note" and text:
        actions.add_note(db, conversation.id, staff.id, text, now)
    elif action == "assign":
        target = await db.get(Staff, _number(str(form.get("staff_id", ""))))
        if target is None:
            raise web.HTTPBadRequest(reason="no such colleague")
        await actions.assign(db, conversation, target.id, now)
    elif action == "label":  # what the bot understood of a message, corrected (issue 13)
        await corrections.correct(db, conversation, staff, _field(form, "message_id", 20), _field(form, "intent", 30), now)
    elif action not in ("reply", "note"):
        raise web.HTTPNotFound(reason="no such action")
