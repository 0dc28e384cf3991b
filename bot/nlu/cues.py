"""The cue table: phrases (in folded form) that speak for an intent, with their weight.

Once the whole classifier, now the model's most readable features: a shop owner can read and
extend it, every classification lists the cues that fired, and a cue helps most where the
corpus is thin. Weights rank the evidence shown; the model learns how much each cue is worth.
"""

from __future__ import annotations

from bot.nlu.intents import Intent

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
LONGEST = max(len(cue.split()) for cues in CUES.values() for cue in cues)
BY_PHRASE: dict[str, tuple[Intent, ...]] = {}
for _intent, _cues in CUES.items():
    for _cue in _cues:
        BY_PHRASE[_cue] = (*BY_PHRASE.get(_cue, ()), _intent)
