"""Generated variants of a hand-written message: how the same words arrive from other thumbs.

Lower case, no diacritics, and the common abbreviations (k/ko, dc/đc, j, sp, đh, bh, r, z…),
each choice fixed by a seed so the corpus is the same on every machine.
"""

from __future__ import annotations

import random
import re

from bot.nlu.text import strip_marks

ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "không": ("k", "ko", "kh", "hok", "khum"), "được": ("dc", "đc", "dk"), "gì": ("j", "gi"),
    "sản phẩm": ("sp",), "đơn hàng": ("đh", "dh", "đơn"), "bao giờ": ("bh", "bg"), "rồi": ("r", "rùi"),
    "vậy": ("z", "v"), "nhân viên": ("nv",), "số điện thoại": ("sdt", "sđt"), "em": ("e",),
    "anh": ("a",), "chị": ("c",), "giao hàng": ("ship",), "mình": ("mik", "mk", "mìn"),
    "cảm ơn": ("camon", "cám ơn", "tks"), "quá": ("wa", "qá"), "hôm nay": ("hnay",),
    "hôm qua": ("hqua",), "biết": ("bít",), "nhiều": ("nhiu",), "với": ("vs",), "thôi": ("thui",),
    "trả lời": ("tl", "rep"), "nhắn tin": ("ib", "nt"), "tin nhắn": ("tn",), "vận chuyển": ("vc",),
    "yêu": ("iu",), "nhé": ("nha", "nhe"), "ạ": ("a", ""), "ơi": ("oi", "ơiii"),
}
_ABBREVIATION = re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, ABBREVIATIONS), key=len, reverse=True)) + r")(?!\w)")


def abbreviate(text: str, rng: random.Random) -> str:
    """Each abbreviable phrase shortened with probability 0.7, as a hurried customer would."""
    def shorten(match: re.Match[str]) -> str:
        word = match.group(1)
        return rng.choice(ABBREVIATIONS[word]) if rng.random() < 0.7 else word

    return " ".join(_ABBREVIATION.sub(shorten, text.lower()).split())


def variants(text: str, english: bool, seed: int) -> list[str]:
    """The message as written, then lower case, without diacritics, abbreviated and both."""
    if english:
        forms = [text, text.lower()]
    else:
        short = abbreviate(text, random.Random(seed))
        forms = [text, strip_marks(text.lower()), short, strip_marks(short)]
    return list(dict.fromkeys(form for form in forms if form.strip()))
