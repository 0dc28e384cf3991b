"""What the model reads of a message: words, word pairs and triples and letter groups of the
folded text, its first and last word, the words and word pairs as written, the cues that fired
(each phrase and the intents it speaks for), and the entities as placeholders.

Entities become placeholder words ("zzorder") so "hủy đơn HM1001" and "hủy đơn SO-77"
read alike: the digits say nothing about intent, the words around them do. The same
function serves training and inference, so the two can never drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

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
    """Cue phrases present as whole words, longest phrases included: shorter sizes first, each in
    word order. Only a word some cue starts with is tried, and only up to that cue's length."""
    reach = [_REACH.get(word, 0) for word in words]
    return [
        phrase
        for size in range(1, LONGEST + 1)
        for i in range(len(words) - size + 1)
        if reach[i] >= size and (phrase := " ".join(words[i:i + size])) in BY_PHRASE
    ]


@lru_cache(maxsize=8192)
def _of_word(word: str) -> tuple[str, tuple[str, ...]]:
    """A folded word's own feature and its letter groups, made once per distinct word rather
    than once per message (the same words recur in almost every message)."""
    padded = f" {word} "  # five-letter groups: a misspelt or run-together word still shares most of them
    return f"w:{word}", tuple(f"c:{padded[i:i + LETTERS]}" for i in range(len(padded) - LETTERS + 1))


def features(text: str, found: Found, words: list[str], cues: list[str]) -> set[str]:
    """The message's features, listed in a fixed order and made a set at once: `Model.read` sums
    float32 rows in the set's order, so the same features listed alike read the same to the last bit."""
    own = [_of_word(word) for word in words]
    listed = [feature for feature, _ in own]
    listed += [f"b:{a} {b}" for a, b in zip(words, words[1:])]
    listed += [f"t:{a} {b} {c}" for a, b, c in zip(words, words[1:], words[2:])]
    if words:  # "ơi", "không", "chưa", "nhé" say most at either end of a message
        listed += (f"f:{words[0]}", f"l:{words[-1]}")
    for _, letters in own:
        listed += letters
    written = _WRITTEN.findall(text.lower())
    listed += [f"o:{w}" for w in written]  # "hủy" and "huy", "đổi" and "đôi" stay apart
    listed += [f"ob:{a} {b}" for a, b in zip(written, written[1:])]  # "bị lỗi" and "bị lội", "đổi trả" and "đôi tra"
    for cue in cues:
        listed += _SAYS[cue]
    listed += [_PHRASE[cue] for cue in cues if cue in _PHRASE]  # a phrase says more than its words apart
    listed.append(_LENGTH[min(len(words), 8)])
    if text != found.plain:
        listed.append("m:marks")
    listed += [f"s:{c}" for c in _SYMBOLS.findall(text)]  # 🙏, 👋, ❤️, :)) carry meaning where words are absent
    return set(listed)


# Each cue's fixed features, made once: the intents it speaks for and, for a phrase, the phrase.
_SAYS = {cue: tuple(f"q:{intent}" for intent in intents) for cue, intents in BY_PHRASE.items()}
_PHRASE = {cue: f"p:{cue}" for cue in BY_PHRASE if " " in cue}
_LENGTH = tuple(f"n:{n}" for n in range(9))


def _reach(phrases: Iterable[str]) -> dict[str, int]:
    """For each word that starts a cue, the most words a cue starting with it has."""
    reach: dict[str, int] = {}
    for phrase in phrases:
        first, *rest = phrase.split(" ")
        reach[first] = max(reach.get(first, 0), 1 + len(rest))
    return reach


_REACH = _reach(BY_PHRASE)
