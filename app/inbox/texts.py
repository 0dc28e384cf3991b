"""The inbox's words, Vietnamese first: one JSON file a language in words/, so a translation is data, not code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_WORDS = Path(__file__).with_name("words")
TEXTS: dict[str, dict[str, Any]] = {
    language: json.loads((_WORDS / f"{language}.json").read_text(encoding="utf-8")) for language in ("vi", "en")
}
