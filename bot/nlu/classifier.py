"""Intent classification by weighted cue phrases over the folded text.

Explainable on purpose: every decision lists the cues that fired, a shop owner can read
and extend the table, and it runs tens of thousands of times a second on one core.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.nlu import signals
from bot.nlu.entities import Entities, extract
from bot.nlu.text import fold


class Intent(StrEnum):
    WHERE_IS_MY_ORDER = "where_is_my_order"
    TALK_TO_HUMAN = "talk_to_human"
    RETURN_OR_EXCHANGE = "return_or_exchange"
    CANCEL_ORDER = "cancel_order"
    CHANGE_DELIVERY = "change_delivery"
    OPT_OUT = "opt_out"
    COUPON = "coupon"
    GREETING = "greeting"
    THANKS = "thanks"
    REDELIVERY = "redelivery"
    PRODUCT_QUESTION = "product_question"
    SHOP_INFO = "shop_info"
    OTHER = "other"


class Language(StrEnum):
    VI = "vi"
    EN = "en"


CUES: dict[Intent, dict[str, float]] = {
    Intent.WHERE_IS_MY_ORDER: {
        "don hang": 1.0, "don": 0.6, "toi dau": 2.0, "den dau": 2.0, "o dau": 1.2, "bao gio": 1.2,
        "khi nao": 1.2, "may ngay": 1.0, "bao lau": 1.0, "giao chua": 2.0, "giao den": 1.2,
        "giao toi": 1.2, "tinh trang": 1.5, "trang thai": 1.5, "kiem tra": 1.0, "tra cuu": 1.5,
        "van don": 1.5, "ma van don": 1.5, "ship": 0.8, "shipper": 0.8, "nhan duoc": 1.0,
        "chua nhan": 2.0, "chua thay": 1.5, "chua toi": 2.0, "chua den": 2.0, "lau qua": 1.5,
        "theo doi": 1.2, "where is my order": 3.0, "my order": 1.5, "order status": 3.0,
        "track": 2.0, "tracking": 2.0, "when will": 1.5, "arrive": 1.5, "delivery status": 3.0,
        "hang cua em": 1.0, "giao hang": 0.6, "nhan hang": 0.8, "di toi dau": 2.0,
    },
    Intent.TALK_TO_HUMAN: {
        "nhan vien": 2.5, "nguoi that": 3.0, "tu van vien": 2.5, "admin": 2.0, "gap": 0.8,
        "noi chuyen": 1.5, "goi cho em": 1.5, "goi lai": 1.5, "ho tro": 0.8, "cskh": 2.5,
        "cham soc khach hang": 2.5, "human": 3.0, "real person": 3.0, "agent": 2.5,
        "talk to": 1.5, "speak to": 1.5, "chu shop": 2.0, "hotline": 1.5, "bot": 0.8,
    },
    Intent.RETURN_OR_EXCHANGE: {
        "doi hang": 3.0, "tra hang": 3.0, "doi size": 3.0, "doi mau": 3.0, "doi tra": 3.0,
        "hoan tien": 3.0, "hoan hang": 2.5, "bi loi": 2.0, "hang loi": 2.5, "bi hong": 2.0,
        "khong vua": 2.0, "sai hang": 2.5, "giao sai": 2.5, "rach": 1.5, "refund": 3.0,
        "return": 3.0, "exchange": 3.0, "doi san pham": 3.0, "bao hanh": 2.0, "thieu hang": 2.0,
    },
    Intent.CANCEL_ORDER: {
        "huy don": 4.0, "huy don hang": 4.0, "khong mua nua": 3.0, "khong lay nua": 3.0,
        "bo don": 3.0, "cancel order": 4.0, "cancel my order": 4.0, "huy giup": 2.5,
        "khong nhan nua": 3.0, "huy dat hang": 4.0,
    },
    Intent.CHANGE_DELIVERY: {
        "doi dia chi": 3.5, "sua dia chi": 3.5, "thay doi dia chi": 3.5, "giao buoi": 2.5,
        "giao vao": 1.5, "giao lai": 2.5, "hen giao": 2.5, "doi ngay giao": 3.5, "giao sau": 2.0,
        "doi gio giao": 3.5, "change address": 3.5, "deliver tomorrow": 3.0, "reschedule": 3.0,
        "dia chi moi": 2.5, "doi sdt": 2.5, "doi so dien thoai": 2.5, "giao ngay mai": 2.0,
    },
    Intent.OPT_OUT: {
        "dung nhan": 4.0, "dung gui": 4.0, "khong nhan tin": 3.0, "khong muon nhan": 3.5,
        "huy dang ky": 4.0, "ngung nhan": 4.0, "ngung gui": 4.0, "stop": 3.0, "unsubscribe": 4.0,
        "dung lam phien": 4.0, "spam": 2.5, "dung spam": 4.0, "dung nhan tin": 4.0, "opt out": 4.0,
        "khong can thong bao": 3.5, "tat thong bao": 4.0,
    },
    Intent.COUPON: {
        "ma giam gia": 4.0, "voucher": 4.0, "coupon": 4.0, "khuyen mai": 2.5, "giam gia": 2.5,
        "ma khuyen mai": 4.0, "discount": 3.0, "promo": 3.0, "uu dai": 2.5, "code giam": 3.5,
    },
    Intent.GREETING: {
        "chao": 2.0, "xin chao": 2.5, "hello": 2.5, "hi": 2.5, "alo": 2.5, "hey": 2.0,
        "chao shop": 3.0, "good morning": 2.5, "shop oi": 1.5, "co ai khong": 2.0,
    },
    Intent.THANKS: {
        "cam on": 3.0, "thanks": 3.0, "thank you": 3.0, "cam on shop": 3.5, "ok shop": 1.5,
        "tot qua": 1.5, "hai long": 1.5, "great": 1.5, "perfect": 1.5,
    },
}
NEGATIONS = ("khong can", "khong muon", "chua can", "no need", "dont need")
_CUE_PATTERNS = {
    intent: [(re.compile(rf"(?<![a-z0-9]){re.escape(cue)}(?![a-z0-9])"), cue, weight) for cue, weight in cues.items()]
    for intent, cues in CUES.items()
}
_SHORT = {Intent.GREETING: 2.0, Intent.THANKS: 2.0}  # only when they are most of the message


@dataclass(frozen=True, slots=True)
class Classification:
    text: str
    intent: Intent
    confidence: float
    entities: Entities
    evidence: tuple[str, ...]
    complaint: bool = False  # an unhappy message: apology and a person, never "thanks for your feedback"
    language: Language = Language.VI
    alternatives: tuple[tuple[Intent, float], ...] = ()  # the likeliest intents, best first, for clarification

    def to_json(self) -> dict[str, Any]:
        e = self.entities
        return {
            "text": self.text, "intent": self.intent.value, "confidence": round(self.confidence, 3),
            "complaint": self.complaint, "language": self.language.value,
            "entities": {"order_code": e.order_code, "tracking_code": e.tracking_code, "phone": e.phone, "carrier": e.carrier},
        }


def _negated(folded: str, start: int) -> bool:
    before = folded[max(0, start - 14):start]
    return any(n in before for n in NEGATIONS)


def _score(folded: str) -> dict[Intent, tuple[float, list[str]]]:
    scores: dict[Intent, tuple[float, list[str]]] = {}
    for intent, patterns in _CUE_PATTERNS.items():
        total, fired = 0.0, list[str]()
        for pattern, cue, weight in patterns:
            match = pattern.search(folded)
            if match and not (intent == Intent.TALK_TO_HUMAN and _negated(folded, match.start())):
                total, fired = total + weight, fired + [cue]
        if total:
            scores[intent] = (total, fired)
    return scores


def _adjust(scores: dict[Intent, tuple[float, list[str]]], folded: str) -> None:
    """Small talk counts only in short messages; "hủy đơn" is a cancellation, not an opt-out."""
    words = len(folded.split())
    for intent, limit in _SHORT.items():
        if intent in scores and words > 6 and len(scores) > 1:
            scores[intent] = (scores[intent][0] / limit, scores[intent][1])
    if Intent.CANCEL_ORDER in scores and Intent.OPT_OUT in scores:
        del scores[Intent.OPT_OUT]


def classify(text: str) -> Classification:
    """STAND-IN signals (bot.nlu.signals) and alternatives from the cue scores, until the learned model."""
    folded = fold(text)
    scores = _score(folded)
    _adjust(scores, folded)
    ranked = sorted(((intent, score / (score + 1.0)) for intent, (score, _) in scores.items()), key=lambda r: -r[1])
    return dataclasses.replace(
        _decide(text, folded, scores), language=Language.EN if signals.english(text) else Language.VI,
        complaint=signals.unhappy(folded), alternatives=tuple(ranked[:3]),
    )


def _decide(text: str, folded: str, scores: dict[Intent, tuple[float, list[str]]]) -> Classification:
    entities = extract(text)
    if not scores:
        if entities.order_code or entities.tracking_code or entities.phone:
            return Classification(text, Intent.WHERE_IS_MY_ORDER, 0.8, entities, ("entity only",))
        return Classification(text, Intent.OTHER, 0.2, entities, ())
    intent, (score, fired) = max(scores.items(), key=lambda item: item[1][0])
    if intent in (Intent.GREETING, Intent.THANKS) and (entities.order_code or entities.tracking_code):
        intent, fired = Intent.WHERE_IS_MY_ORDER, fired + ["entity"]
    if score < 1.0 and not (entities.order_code or entities.tracking_code):
        return Classification(text, Intent.OTHER, 0.3, entities, tuple(fired))
    return Classification(text, intent, min(0.99, score / (score + 1.0)), entities, tuple(fired))
