"""Rendering message templates: language and channel overrides, labels owned by translators.

Lookup: `{lang}/{channel}/{name}.txt.j2` → `{lang}/{name}.txt.j2` → `{default}/{name}.txt.j2`.
Button labels live in the template (`{% set labels = {...} %}`) so whoever translates a
message also translates its buttons; payloads stay in code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Mapping
from zoneinfo import ZoneInfo

import jinja2

from content import filters
from content.samples import SAMPLES

ROOT = Path(__file__).resolve().parent / "templates"
LANGUAGES = ("vi", "en")


@dataclass(frozen=True, slots=True)
class Rendered:
    text: str
    labels: Mapping[str, str] = field(default_factory=dict)


class Renderer:
    def __init__(self, default_language: str = "vi", timezone: str = "Asia/Ho_Chi_Minh") -> None:
        self.default_language = default_language if default_language in LANGUAGES else "vi"
        self._zone = ZoneInfo(timezone)
        self._environments = {lang: self._environment(lang) for lang in LANGUAGES}
        self._chosen: dict[tuple[str, str, str], jinja2.Template] = {}

    def _environment(self, lang: str) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(ROOT), undefined=jinja2.StrictUndefined,
            autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False, auto_reload=False,
        )
        env.filters.update(
            vnd=filters.vnd, carrier_name=filters.carrier_name,
            date=partial(filters.date_label, lang=lang, zone=self._zone),
            time=partial(filters.time_label, zone=self._zone),
            datetime=partial(filters.datetime_label, lang=lang, zone=self._zone),
            status=partial(filters.status_label, lang=lang),
        )
        return env

    def render(self, name: str, *, language: str, channel: str, **variables: Any) -> Rendered:
        lang = language if language in LANGUAGES else self.default_language
        module = self._template(lang, channel, name).make_module(variables)
        text = "\n".join(line.rstrip() for line in str(module).strip().splitlines())
        return Rendered(text=text, labels=dict(getattr(module, "labels", {}) or {}))

    def _template(self, lang: str, channel: str, name: str) -> jinja2.Template:
        """Which file serves (language, channel, name) is looked up once: a miss is a disk lookup."""
        key = (lang, channel, name)
        if key not in self._chosen:
            self._chosen[key] = self._environments[lang].select_template(
                [f"{lang}/{channel}/{name}.txt.j2", f"{lang}/{name}.txt.j2", f"{self.default_language}/{name}.txt.j2"]
            )
        return self._chosen[key]

    def names(self) -> list[str]:
        base = ROOT / self.default_language
        return sorted(
            str(path.relative_to(base))[: -len(".txt.j2")]
            for path in base.rglob("*.txt.j2")
            if path.parent.name not in ("telegram", "messenger", "zalo", "web", "_parts")
        )

    @staticmethod
    def sample(name: str) -> dict[str, Any]:
        """Realistic variables for previews and tests of template `name`."""
        return dict(SAMPLES.get(name, SAMPLES["*"]))
