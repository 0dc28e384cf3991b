"""What the model reads of a message: words, word pairs and triples and letter groups of the
folded text, its first and last word, the words and word pairs as written, the cues that fired
(each phrase and the intents it speaks for), and the entities as placeholders.

Entities become placeholder words ("zzorder") so "hủy đơn HM1001" and "hủy đơn SO-77"
read alike: the digits say nothing about intent, the words around them do. The same
function serves training and inference, so the two can never drift apart.
"""

from __future__ import annotations

import re

from bot.nlu.cues import BY_PHRASE, LONGEST
from bot.nlu.entities import Found
from bot.nlu.text import fold

_PLACEHOLDER = {"order": " zzorder ", "tracking": " zztrack ", "phone": " zzphone "}
LETTERS = 5  # by cross-validation on the train split: 2–5, 3–5, 4–6 and 4–5 mixed groups scored lower
_SYMBOLS = re.compile(r"[^\w\s]")
_WRITTEN = re.compile(r"[^\W\d_]+")


def masked(found: Found) -> str:
    """The message without diacritics, each entity replaced by its placeholder word."""
    text, out, last = found.plain, list[str](), 0
    for start, end, kind in found.places:
        out += [text[last:start], _PLACEHOLDER[kind]]
        last = end
    out.append(text[last:])
    return "".join(out)


def words_of(found: Found) -> list[str]:
    """The folded words, with long bare numbers (quantities, prices, dates) made one word."""
    return ["zznum" if len(w) > 2 and w.isdigit() else w for w in fold(masked(found) if found.places else found.plain).split()]


def cues_in(words: list[str]) -> list[str]:
    """Cue phrases present as whole words, longest phrases included."""
    return [
        phrase
        for size in range(1, LONGEST + 1)
        for i in range(len(words) - size + 1)
        if (phrase := " ".join(words[i:i + size])) in BY_PHRASE
    ]


def features(text: str, found: Found, words: list[str], cues: list[str]) -> set[str]:
    feats = {f"w:{w}" for w in words}
    feats.update(f"b:{a} {b}" for a, b in zip(words, words[1:]))
    feats.update(f"t:{a} {b} {c}" for a, b, c in zip(words, words[1:], words[2:]))
    if words:  # "ơi", "không", "chưa", "nhé" say most at either end of a message
        feats.update((f"f:{words[0]}", f"l:{words[-1]}"))
    for word in words:  # five-letter groups: a misspelt or run-together word still shares most of them
        padded = f" {word} "
        feats.update(f"c:{padded[i:i + LETTERS]}" for i in range(len(padded) - LETTERS + 1))
    written = _WRITTEN.findall(text.lower())
    feats.update(f"o:{w}" for w in written)  # "hủy" and "huy", "đổi" and "đôi" stay apart
    feats.update(f"ob:{a} {b}" for a, b in zip(written, written[1:]))  # "bị lỗi" and "bị lội", "đổi trả" and "đôi tra"
    feats.update(f"q:{intent}" for cue in cues for intent in BY_PHRASE[cue])
    feats.update(f"p:{cue}" for cue in cues if " " in cue)  # a phrase says more than its words apart
    feats.add(f"n:{min(len(words), 8)}")
    if text != found.plain:
        feats.add("m:marks")
    feats.update(f"s:{c}" for c in _SYMBOLS.findall(text))  # 🙏, 👋, ❤️, :)) carry meaning where words are absent
    return feats
