"""STAND-IN (issue 13, conversation half) until the learned classifier reports these itself:
which language a message is in, and whether it sounds unhappy.

Small word lists, on purpose: they only let the cue classifier fill `Classification.language`
and `.complaint` so the conversation can be built and tested; the learned model replaces them.
"""

from __future__ import annotations

import re

from bot.nlu.text import strip_marks

_WORD = re.compile(r"[a-z']+")
_VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]")
ENGLISH = frozenset(
    "the my is are was where when what how why can could would will please order orders parcel package "
    "i you your me we it this that hello hi hey thanks thank want need to of for and not yet still "
    "deliver delivery delivered address open opening hours store phone number size stock available "
    "again missed talk speak person someone help track tracking return refund cancel do does did".split()
)
VIETNAMESE = frozenset(
    "em anh chi ban minh toi don hang cua oi a nhe nha giup khong ko roi chua duoc dc voi cho la "
    "gi sao bao gio nao may giao ship lai di den toi dau vay z nhan vien hoi mua con".split()
)
COMPLAINT_CUES = (
    "that vong", "qua te", "te qua", "te that", "buc minh", "buc qua", "cham qua", "cham the", "qua cham",
    "lau qua", "lau the", "khong chap nhan", "lua dao", "kem qua", "chan qua", "qua chan", "thai do",
    "disappointed", "terrible", "awful", "unacceptable", "worst", "too slow", "so slow", "angry", "ridiculous",
)
_COMPLAINT = re.compile(r"(?<![a-z])(" + "|".join(re.escape(cue) for cue in COMPLAINT_CUES) + r")(?![a-z])")


def english(text: str) -> bool:
    """Vietnamese letters settle it; otherwise more English words than Vietnamese ones."""
    lowered = text.lower()
    if _VIETNAMESE_LETTERS.search(lowered):
        return False
    words = _WORD.findall(strip_marks(lowered))
    return sum(w in ENGLISH for w in words) > sum(w in VIETNAMESE for w in words)


def unhappy(folded: str) -> bool:
    return _COMPLAINT.search(folded) is not None
