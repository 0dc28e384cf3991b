"""`/dashboard`: the figures beside the period before, weekly survey charts, tables (each one
also as CSV), and drill-down lists. Staff read it in the language the inbox chose for them."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from aiohttp import web
from aiohttp_session import get_session

from app.api.cx import scope_of
from app.appkeys import RUNTIME
from app.dashboard.drill import DRILLS, LIMIT
from app.dashboard.formats import Formats
from app.figures import CHANNELS, Scope, figures
from app.inbox.auth import csrf_token, signed_in
from app.inbox.live import newest_event
from app.inbox.queries import waiting_count
from app.inbox.texts import TEXTS
from bot.storage.models import Staff
from bot.surveys import SurveyKind

HERE = Path(__file__).parent
PAGES = jinja2.Environment(
    loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(HERE / "templates"),
                                jinja2.FileSystemLoader(HERE.parent / "inbox" / "templates")]),
    autoescape=True, undefined=jinja2.StrictUndefined,
)
WORDS = {lang: json.loads((HERE / "words" / f"{lang}.json").read_text(encoding="utf-8")) for lang in TEXTS}
CHART_JS = HERE.parent / "static" / "vendor" / "chart-4.6.1.umd.min.js"
PRESETS = (7, 30, 90)
CHART_RANGES = {SurveyKind.CSAT: (1, 5), SurveyKind.NPS: (-100, 100), SurveyKind.CES: (1, 5)}


@dataclass(frozen=True, slots=True)
class Card:
    """One figure: where it sits in app.figures' result, how it reads, and the list behind it."""

    key: str
    path: tuple[str, ...]
    style: str  # count | number | percent | money | duration
    drill: str | None = None

    def of(self, data: dict[str, Any]) -> Any:
        for step in self.path:
            data = data[step]
        return data


SECTIONS: tuple[tuple[str, tuple[Card, ...]], ...] = (
    ("wismo", (Card("deflection", ("wismo", "deflection_pct"), "percent", "wismo"),
               Card("wismo_questions", ("wismo", "questions"), "count", "wismo"),
               Card("wismo_per_100", ("wismo", "per_100_delivered"), "number", "wismo"))),
    ("surveys", (Card("csat_mean", ("surveys", "csat", "mean"), "number"),
                 Card("csat_satisfied", ("surveys", "csat", "satisfied_pct"), "percent"),
                 Card("csat_response", ("surveys", "csat", "response_rate_pct"), "percent"),
                 Card("nps_score", ("surveys", "nps", "score"), "number"),
                 Card("nps_response", ("surveys", "nps", "response_rate_pct"), "percent"),
                 Card("ces_mean", ("surveys", "ces", "mean"), "number"),
                 Card("ces_response", ("surveys", "ces", "response_rate_pct"), "percent"))),
    ("recovery", (Card("low_scores", ("low_scores", "count"), "count", "low_scores"),
                  Card("low_reached", ("low_scores", "reached_pct"), "percent", "low_scores"))),
    ("coupons", (Card("coupons_issued", ("coupons", "issued"), "count"),
                 Card("coupons_redeemed", ("coupons", "redeemed"), "count", "coupons"),
                 Card("redemption_rate", ("coupons", "redemption_rate_pct"), "percent", "coupons"),
                 Card("coupon_revenue", ("coupons", "revenue"), "money", "coupons"))),
    ("handoffs", (Card("handoffs_opened", ("handoffs", "opened"), "count", "handoffs"),
                  Card("first_response_median", ("handoffs", "first_response_median_s"), "duration", "handoffs"),
                  Card("first_response_p90", ("handoffs", "first_response_p90_s"), "duration", "handoffs"),
                  Card("resolution_median", ("handoffs", "resolution_median_s"), "duration", "handoffs"),
                  Card("resolution_p90", ("handoffs", "resolution_p90_s"), "duration", "handoffs"))),
    ("orders", (Card("orders_placed", ("orders", "placed"), "count"),
                Card("cancelled_per_100", ("orders", "cancelled_per_100"), "number", "cancelled"),
                Card("returns_per_100", ("orders", "returns_per_100"), "number", "returns"))),
    # returns and exchanges asked for in the chat (issue 15)
    ("returns", (Card("return_requests", ("returns", "requests"), "count"),
                 Card("return_rate", ("returns", "return_rate_per_100_delivered"), "number"),
                 Card("request_to_refund", ("returns", "request_to_refund_median_s"), "duration"),
                 Card("returns_without_a_person", ("returns", "without_a_person_pct"), "percent"))),
)
CARDS = tuple(card for _, cards in SECTIONS for card in cards)
SURVEY_COLUMNS = ("week", "kind", "asked", "answers", "response_rate_pct", "mean", "satisfied_pct", "score",
                  "promoters", "passives", "detractors")
HANDOFF_COLUMNS = ("name", "opened", "resolved", "first_response_median_s", "first_response_p90_s",
                   "resolution_median_s", "resolution_p90_s")


def language(request: web.Request) -> str:
    """The inbox's choice (`?lang=` or its cookie), so staff switch language once for both."""
    wanted = request.query.get("lang") or request.cookies.get("haumai_lang") or "vi"
    return wanted if wanted in TEXTS else "vi"


def tables(now: dict[str, Any], before: dict[str, Any], words: dict[str, Any]) -> dict[str, tuple[tuple[str, ...], list[dict[str, Any]]]]:
    """Every table of the page, by name, as columns and raw rows: the HTML formats them, the CSV does not."""
    weekly = [{"week": week["week"], "kind": kind, **week} for kind, survey in now["surveys"].items() for week in survey["weeks"]]
    return {
        "summary": (("figure", "value", "previous"),
                    [{"figure": words["figures"][card.key], "value": card.of(now), "previous": card.of(before)} for card in CARDS]),
        "notices": (("kind", "channel", "sent", "delivered", "read"), now["notices"]),
        "skipped": (("kind", "channel", "reason", "count"), now["skipped"]),
        "surveys": (SURVEY_COLUMNS, weekly),
        "handoffs": (HANDOFF_COLUMNS, now["handoffs"]["by_staff"]),
    }


def csv_response(name: str, columns: tuple[str, ...], rows: list[dict[str, Any]], words: dict[str, Any]) -> web.Response:
    """UTF-8 with a byte-order mark, so a spreadsheet opens the Vietnamese headers right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([words["columns"][column] for column in columns])
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row[c].isoformat() if isinstance(row.get(c), datetime) else row[c]
                         for c in columns])
    return web.Response(body=("\ufeff" + out.getvalue()).encode(), content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="haumai-{name}.csv"'})


class Cells:
    """How a table cell reads, chosen by its column."""

    def __init__(self, formats: Formats, words: dict[str, Any]) -> None:
        self.formats, self.words = formats, words

    def __call__(self, column: str, value: Any) -> str:
        f = self.formats
        if column == "name" and not value:
            return str(self.words["unanswered"])
        if value is None:
            return "–"
        if isinstance(value, datetime):
            return f.moment(value)
        if isinstance(value, bool):
            return str(self.words["yes" if value else "no"])
        if column.endswith("_s"):
            return f.duration(value)
        if column.endswith("_pct"):
            return f.percent(value)
        if column in ("total", "revenue"):
            return f.money(value)
        if column == "week":
            return f.week(date.fromisoformat(value))
        if column == "kind":
            return str(self.words["kinds"].get(value, value))
        if isinstance(value, (int, float)):
            return f.number(value, 2)
        return str(value)

    def card(self, style: str, value: Any) -> str:
        f = self.formats
        return {"count": lambda: f.number(value, 0), "number": lambda: f.number(value, 2), "percent": lambda: f.percent(value),
                "money": lambda: f.money(value), "duration": lambda: f.duration(value)}[style]()


def charts(now: dict[str, Any], formats: Formats, words: dict[str, Any]) -> dict[str, Any]:
    """Weekly score (line) and response rate (bars) per survey, labels already in the staff's language."""
    result = {}
    for kind in SurveyKind:
        weeks = now["surveys"][kind.value]["weeks"]
        low, high = CHART_RANGES[kind]
        result[kind.value] = {
            "title": words["kinds"][kind.value], "labels": [formats.week(date.fromisoformat(w["week"])) for w in weeks],
            "score": [w["score"] if kind is SurveyKind.NPS else w["mean"] for w in weeks],
            "rate": [w["response_rate_pct"] for w in weeks], "min": low, "max": high,
            "score_label": words["charts"]["score"], "rate_label": words["charts"]["response_rate"],
        }
    return result


def _days(scope: Scope) -> tuple[date, date]:
    """The first and last shop day of the period (`to` names the last day, included)."""
    return scope.start.astimezone(scope.zone).date(), (scope.end - timedelta(microseconds=1)).astimezone(scope.zone).date()


def _query(scope: Scope) -> str:
    """The page's period and channel as a query string, for links that keep them."""
    first, last = _days(scope)
    return urlencode({"from": first.isoformat(), "to": last.isoformat(), **({"channel": scope.channel} if scope.channel else {})})


async def _render(request: web.Request, template: str, staff: Staff, lang: str, **variables: Any) -> web.Response:
    runtime = request.app[RUNTIME].get()
    async with runtime.sessions() as db:
        after = await newest_event(db)
        waiting = await waiting_count(db)
    html = PAGES.get_template(template).render(
        t={**TEXTS[lang], **WORDS[lang]}, lang=lang, staff=staff, waiting=waiting, after=after, csrf=csrf_token(await get_session(request)),
        **variables,
    )
    response = web.Response(text=html, content_type="text/html")
    response.set_cookie("haumai_lang", lang, httponly=True, samesite="Lax")
    return response


async def dashboard(request: web.Request) -> web.StreamResponse:
    staff, runtime, lang = signed_in(request), request.app[RUNTIME].get(), language(request)
    scope = scope_of(request)
    if isinstance(scope, web.Response):
        return scope
    now, before = await asyncio.gather(figures(runtime.sessions, scope), figures(runtime.sessions, scope.previous()))
    words, formats = WORDS[lang], Formats(lang, scope.zone)
    every = tables(now, before, words)
    if request.query.get("format") == "csv":
        name = request.query.get("table", "summary")
        if name not in every:
            raise web.HTTPBadRequest(reason=f"table is one of {', '.join(every)}")
        return csv_response(name, *every[name], words)
    today = runtime.clock().astimezone(scope.zone).date()
    presets = [(days, _query(Scope(datetime.combine(today - timedelta(days=days - 1), datetime.min.time(), scope.zone),
                                   datetime.combine(today + timedelta(days=1), datetime.min.time(), scope.zone),
                                   scope.zone, scope.channel))) for days in PRESETS]
    return await _render(
        request, "dashboard.html.j2", staff, lang, now=now, before=before, sections=SECTIONS, cells=Cells(formats, words),
        tables=every, chart_data=charts(now, formats, words), query=_query(scope), presets=presets, scope=scope,
        channels=CHANNELS, first_day=_days(scope)[0].isoformat(), last_day=_days(scope)[1].isoformat(),
    )


async def drill(request: web.Request) -> web.StreamResponse:
    staff, runtime, lang = signed_in(request), request.app[RUNTIME].get(), language(request)
    name = request.match_info["figure"]
    if name not in DRILLS:
        raise web.HTTPNotFound(reason="no such list")
    scope = scope_of(request)
    if isinstance(scope, web.Response):
        return scope
    async with runtime.sessions() as db:
        rows = await DRILLS[name].rows(db, scope)
    words = WORDS[lang]
    if request.query.get("format") == "csv":
        return csv_response(name, DRILLS[name].columns, rows, words)
    return await _render(request, "drill.html.j2", staff, lang, name=name, columns=DRILLS[name].columns, rows=rows,
                         cells=Cells(Formats(lang, scope.zone), words), query=_query(scope), limit=LIMIT)


async def chart_library(_request: web.Request) -> web.FileResponse:
    """Chart.js from the package, never a CDN: shops may run offline."""
    return web.FileResponse(CHART_JS, headers={"Cache-Control": "public, max-age=86400",
                                               "Content-Type": "text/javascript; charset=utf-8"})


def setup_dashboard(app: web.Application) -> None:
    app.router.add_get("/dashboard", dashboard)
    app.router.add_get("/dashboard/chart.js", chart_library)
    app.router.add_get("/dashboard/drill/{figure}", drill)
