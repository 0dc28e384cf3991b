"""The dashboard's figures counted again in plain Python over the generated rows, from the
definitions the owner reads, not from the SQL: what the page and the API must show."""

from __future__ import annotations

import math
import statistics
from datetime import datetime, timedelta, timezone
from typing import Any

from app.history import History

LOW = {"csat": 2, "nps": 6, "ces": 2}


def last_30_days(now: datetime) -> tuple[datetime, datetime]:
    """The default period: the last 30 days in Vietnam (UTC+7), today included."""
    vietnam = timezone(timedelta(hours=7))
    today = now.astimezone(vietnam).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=29), today + timedelta(days=1)


def _in(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start <= moment < end


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def expected(history: History, start: datetime, end: datetime) -> dict[str, Any]:
    rows = history.rows
    handoffs_of: dict[int, list[dict[str, Any]]] = {}
    for handoff in rows["handoffs"]:
        handoffs_of.setdefault(handoff["conversation_id"], []).append(handoff)

    questions = [m for m in rows["messages"] if m["intent"] == "where_is_my_order" and _in(m["created_at"], start, end)]
    escalated = [m for m in questions if any(
        h["requested_at"] <= m["created_at"] + timedelta(hours=24) and (h["resolved_at"] is None or h["resolved_at"] >= m["created_at"])
        for h in handoffs_of.get(m["conversation_id"], []))]
    delivered = [o for o in rows["orders"] if o["status"] == "delivered" and _in(o["status_at"], start, end)]

    answers = {kind: [a["score"] for a in rows["survey_answers"] if a["kind"] == kind and _in(a["answered_at"], start, end)]
               for kind in ("csat", "nps", "ces")}
    sent = [o for o in rows["outbox"] if o["status"] == "sent" and _in(o["sent_at"], start, end)]
    asked = {"csat": sum(o["kind"] == "thanks" for o in sent), "nps": sum(o["dedupe_key"].startswith("nps:") for o in sent),
             "ces": sum(o["dedupe_key"].startswith("ces:") for o in sent)}
    nps = answers["nps"]

    issued = [c for c in rows["coupons"] if _in(c["issued_at"], start, end)]
    redeemed = [c for c in issued if c["redeemed_at"] is not None]
    totals = {o["code"]: o["total"] for o in rows["orders"]}

    opened = [h for h in rows["handoffs"] if _in(h["requested_at"], start, end)]
    first = [(h["first_response_at"] - h["requested_at"]).total_seconds() for h in opened if h["first_response_at"]]
    resolved = [(h["resolved_at"] - h["requested_at"]).total_seconds() for h in opened if h["resolved_at"]]

    placed = [o for o in rows["orders"] if _in(o["created_at"], start, end)]
    cancelled = sum(o["status"] == "cancelled" for o in placed)
    returns = sum(o["status"] in ("returned", "returning") for o in placed)
    low = [a for a in rows["survey_answers"] if _in(a["answered_at"], start, end) and a["score"] <= LOW[a["kind"]]]

    return {
        "wismo": {"questions": len(questions), "deflected": len(questions) - len(escalated),
                  "deflection_pct": _pct(len(questions) - len(escalated), len(questions)),
                  "per_100_delivered": round(100 * len(questions) / len(delivered), 2) if delivered else None},
        "csat_mean": round(sum(answers["csat"]) / len(answers["csat"]), 2) if answers["csat"] else None,
        "csat_satisfied_pct": _pct(sum(s >= 4 for s in answers["csat"]), len(answers["csat"])),
        "csat_response_pct": _pct(len(answers["csat"]), asked["csat"]),
        "nps_score": round(100 * (sum(s >= 9 for s in nps) - sum(s <= 6 for s in nps)) / len(nps), 1) if nps else None,
        "nps_split": (sum(s >= 9 for s in nps), sum(7 <= s <= 8 for s in nps), sum(s <= 6 for s in nps)),
        "ces_mean": round(sum(answers["ces"]) / len(answers["ces"]), 2) if answers["ces"] else None,
        "low_scores": len(low),
        "coupons": {"issued": len(issued), "redeemed": len(redeemed), "revenue": sum(totals[c["redeemed_order_code"]] for c in redeemed)},
        "handoffs": {"opened": len(opened), "first_response_median_s": round(statistics.median(first), 1) if first else None,
                     "first_response_p90_s": round(sorted(first)[math.ceil(0.9 * len(first)) - 1], 1) if first else None,
                     "resolution_median_s": round(statistics.median(resolved), 1) if resolved else None},
        "orders": {"placed": len(placed), "cancelled": cancelled, "returns": returns,
                   "cancelled_per_100": round(100 * cancelled / len(placed), 2) if placed else None},
    }


def assert_figures_match(got: dict[str, Any], want: dict[str, Any]) -> None:
    """Every figure `expected` counts, compared part by part so a failure names the part."""
    assert {k: got["wismo"][k] for k in want["wismo"]} == want["wismo"]
    assert (got["surveys"]["csat"]["mean"], got["surveys"]["nps"]["score"], got["surveys"]["ces"]["mean"]) == (
        want["csat_mean"], want["nps_score"], want["ces_mean"])
    assert got["low_scores"]["count"] == want["low_scores"]
    assert {k: got["coupons"][k] for k in want["coupons"]} == want["coupons"]
    assert {k: got["handoffs"][k] for k in want["handoffs"]} == want["handoffs"]
    assert {k: got["orders"][k] for k in want["orders"]} == want["orders"]
