"""Text folding: lower case, no diacritics (đ → d), teencode spelled out, punctuation gone.

Customers write "đơn của em tới đâu rồi", "don cua e toi dau r" and "dh e bh giao z";
matching happens on one folded form so all three meet the same cue phrases.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z#]+")
_STRIP: dict[int, str | None] = {ord("đ"): "d", ord("Đ"): "D"}

TEENCODE = {
    "dh": "don hang", "đh": "don hang", "bh": "bao gio", "bg": "bao gio", "k": "khong",
    "ko": "khong", "kh": "khong", "hok": "khong", "hong": "khong", "khum": "khong", "j": "gi",
    "z": "vay", "v": "vay", "dc": "duoc", "đc": "duoc", "ntn": "nhu the nao", "r": "roi",
    "e": "em", "a": "anh", "c": "chi", "mik": "minh", "mk": "minh", "nv": "nhan vien",
    "ad": "admin", "sp": "san pham", "sdt": "so dien thoai", "tks": "thanks", "thank": "thanks",
    "thx": "thanks", "ty": "thanks", "camon": "cam on", "kamon": "cam on", "ok": "ok",
    "ship": "ship", "shiper": "shipper", "hnay": "hom nay", "hqua": "hom qua", "nhiu": "nhieu",
    "ns": "noi", "cs": "co", "wa": "qua", "mgg": "ma giam gia", "vc": "van chuyen",
    "dk": "duoc", "qa": "qua", "bit": "biet", "vs": "voi", "thui": "thoi", "rui": "roi", "tl": "tra loi",
    "rep": "tra loi", "ib": "nhan tin", "tn": "tin nhan", "iu": "yeu", "oiii": "oi", "min": "minh",
    "hk": "khong", "hem": "khong", "ng": "nguoi", "cty": "cong ty", "km": "khuyen mai",
}


def _marks_table() -> dict[int, str | None]:
    """Latin letters with marks → their base letter; combining marks → nothing.

    One `str.translate` per message instead of a decomposition and a per-character loop:
    folding runs on every message, several times."""
    table: dict[int, str | None] = {ord(c): None for c in map(chr, range(0x300, 0x370))}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = "".join(c for c in unicodedata.normalize("NFD", chr(code)) if unicodedata.category(c) != "Mn")
        if base != chr(code):
            table[code] = base
    table.update(_STRIP)
    return table


_MARKS = _marks_table()


def strip_marks(text: str) -> str:
    return text if text.isascii() else text.translate(_MARKS)


def fold(text: str) -> str:
    """The matching form of a message: ASCII lower case words separated by single spaces."""
    words = _NON_WORD.sub(" ", strip_marks(text.lower())).split()
    return " ".join(TEENCODE.get(word, word) for word in words)
