"""`/dashboard/segments`: who the customers are (segments computed from orders and answers),
with repeat-purchase rate, churn and CLV per segment and per month of first purchase."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from app.appkeys import RUNTIME
from app.dashboard.formats import Formats
from app.dashboard.views import _render, language
from app.inbox.auth import signed_in
from bot.segments import segment_report

WORDS: dict[str, dict[str, Any]] = {
    "vi": {"title": "Phân khúc khách hàng", "segment": "Phân khúc", "month": "Tháng mua đầu tiên",
           "customers": "Khách hàng", "repeat_purchase_rate": "Tỷ lệ mua lại", "churn": "Rời bỏ (lâu không mua)",
           "clv": "Giá trị vòng đời (TB)", "cohorts": "Theo tháng mua đầu tiên",
           "names": {"new": "Mới", "repeat": "Mua lại", "vip": "VIP", "at_risk": "Có nguy cơ rời bỏ",
                     "detractor": "Không hài lòng (NPS ≤ 6)", "promoter": "Ủng hộ (NPS ≥ 9)"}},
    "en": {"title": "Customer segments", "segment": "Segment", "month": "Month of first purchase",
           "customers": "Customers", "repeat_purchase_rate": "Repeat-purchase rate", "churn": "Churn (no recent purchase)",
           "clv": "Lifetime value (mean)", "cohorts": "By month of first purchase",
           "names": {"new": "New", "repeat": "Repeat", "vip": "VIP", "at_risk": "At risk",
                     "detractor": "Detractors (NPS ≤ 6)", "promoter": "Promoters (NPS ≥ 9)"}},
}


async def segments_page(request: web.Request) -> web.Response:
    staff, runtime, lang = signed_in(request), request.app[RUNTIME].get(), language(request)
    async with runtime.sessions() as db:
        report = await segment_report(db, runtime.settings, runtime.clock())
    return await _render(request, "segments.html.j2", staff, lang, report=report, w=WORDS[lang],
                         formats=Formats(lang, runtime.settings.zone))


def setup_segment_pages(app: web.Application) -> None:
    app.router.add_get("/dashboard/segments", segments_page)
