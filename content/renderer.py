"""Rendering message templates: language and channel overrides, labels owned by translators.

Lookup: `{lang}/{channel}/{name}.txt.j2` → `{lang}/{name}.txt.j2` → `{default}/{name}.txt.j2`.
Button labels live in the template (`{% set labels = {...} %}`) so whoever translates a
message also translates its buttons; payloads stay in code.

A shop may rewrite a template in the browser (`use_overrides`): its text takes the packaged
file's place, rendered in jinja's sandbox, since whoever edits it is not whoever ships the code.
`check` refuses a rewrite that would fail when its message is sent, with the line at fault.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, Mapping
from zoneinfo import ZoneInfo

import jinja2
from jinja2 import meta
from jinja2.sandbox import SandboxedEnvironment

from content import filters
from content.samples import SAMPLES

ROOT = Path(__file__).resolve().parent / "templates"
LANGUAGES = ("vi", "en")
SUFFIX = ".txt.j2"
ALWAYS_GIVEN = frozenset({"shop_name"})  # every render passes the shop's name


@dataclass(frozen=True, slots=True)
class Rendered:
    text: str
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a rewritten template is refused, and on which line of it (None: not a line's fault)."""

    line: int | None
    error: str


class Renderer:
    def __init__(self, default_language: str = "vi", timezone: str = "Asia/Ho_Chi_Minh") -> None:
        self.default_language = default_language if default_language in LANGUAGES else "vi"
        self._zone = ZoneInfo(timezone)
        self._environments = {lang: self._environment(lang) for lang in LANGUAGES}
        self._chosen: dict[tuple[str, str, str], jinja2.Template] = {}
        self._overrides: dict[str, str] = {}  # "vi/notice/delivered.txt.j2" → the shop's source
        self._rewritten = {lang: self._environment(lang, {}) for lang in LANGUAGES}

    def _environment(self, lang: str, overrides: Mapping[str, str] | None = None) -> jinja2.Environment:
        """The packaged templates; with `overrides`, a sandbox where those sources come first."""
        files = jinja2.FileSystemLoader(ROOT)
        kind = jinja2.Environment if overrides is None else SandboxedEnvironment
        env = kind(
            loader=files if overrides is None else jinja2.ChoiceLoader([jinja2.DictLoader(dict(overrides)), files]),
            undefined=jinja2.StrictUndefined,
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
        return _rendered(self._template(lang, channel, name).make_module(variables))

    def _template(self, lang: str, channel: str, name: str) -> jinja2.Template:
        """Which file serves (language, channel, name) is looked up once: a miss is a disk lookup.
        The shop's rewrite of a path serves in its place."""
        key = (lang, channel, name)
        if key not in self._chosen:
            paths = [f"{lang}/{channel}/{name}{SUFFIX}", f"{lang}/{name}{SUFFIX}", f"{self.default_language}/{name}{SUFFIX}"]
            path = next((p for p in paths if p in self._overrides or (ROOT / p).is_file()), paths[-1])
            chosen = self._rewritten if path in self._overrides else self._environments
            self._chosen[key] = chosen[lang].get_template(path)
        return self._chosen[key]

    def use_overrides(self, sources: Mapping[tuple[str, str], str]) -> None:
        """The shop's rewrites, (language, name) → source, from now on (none: the packaged ones)."""
        overrides = {f"{lang}/{name}{SUFFIX}": source for (lang, name), source in sources.items()}
        if overrides == self._overrides:
            return  # compiled templates stay cached
        self._overrides = overrides
        self._rewritten = {lang: self._environment(lang, overrides) for lang in LANGUAGES}
        self._chosen = {}

    def rewritten(self) -> set[tuple[str, str]]:
        """(language, name) of every template the shop rewrote."""
        return {(path.split("/", 1)[0], path.split("/", 1)[1][: -len(SUFFIX)]) for path in self._overrides}

    def packaged_source(self, language: str, name: str) -> str:
        return (ROOT / language / f"{name}{SUFFIX}").read_text(encoding="utf-8")

    def source(self, language: str, name: str) -> str:
        """What serves this template now: the shop's rewrite, or the packaged file."""
        return self._overrides.get(f"{language}/{name}{SUFFIX}") or self.packaged_source(language, name)

    def variables(self, language: str, name: str) -> set[str]:
        """The variables the code gives this message: those its packaged template (and the parts
        it includes) reads, as a rewrite may use only what the sender passes."""
        env, found, pending = self._environments[language], set(ALWAYS_GIVEN), [f"{language}/{name}{SUFFIX}"]
        while pending:
            assert env.loader is not None
            tree = env.parse(env.loader.get_source(env, pending.pop())[0])
            found |= meta.find_undeclared_variables(tree)
            pending.extend(p for p in meta.find_referenced_templates(tree) if p)
        return found

    def trial(self, language: str, name: str, source: str) -> Rendered | Problem:
        """`source` in the template's place, rendered with sample data limited to the variables the
        message gets, in the sandbox; a Problem (with the line at fault) where it would fail when
        sent, or where it drops a button label the code looks up."""
        path = f"{language}/{name}{SUFFIX}"
        try:
            template = self._environment(language, {path: source}).get_template(path)
        except jinja2.TemplateSyntaxError as failure:
            return Problem(failure.lineno, failure.message or str(failure))
        given = self.variables(language, name)
        try:
            module = template.make_module({k: v for k, v in self.sample(name).items() if k in given})
        except Exception as failure:  # noqa: BLE001 - whatever a render raises is the template's to fix
            return Problem(_line_of(template, failure.__traceback__), f"{type(failure).__name__}: {failure}")
        rendered = _rendered(module)
        wanted = set(self.render(name, language=language, channel="web", **self.sample(name)).labels)
        missing = wanted - set(rendered.labels)
        if missing:
            return Problem(None, "button labels missing: " + ", ".join(sorted(missing)))
        return rendered

    def names(self) -> list[str]:
        base = ROOT / self.default_language
        return sorted(
            str(path.relative_to(base))[: -len(SUFFIX)]
            for path in base.rglob(f"*{SUFFIX}")
            if path.parent.name not in ("telegram", "messenger", "zalo", "web", "_parts")
        )

    @staticmethod
    def sample(name: str) -> dict[str, Any]:
        """Realistic variables for previews and tests of template `name`."""
        return dict(SAMPLES.get(name, SAMPLES["*"]))


def _rendered(module: Any) -> Rendered:
    text = "\n".join(line.rstrip() for line in str(module).strip().splitlines())
    return Rendered(text=text, labels=dict(getattr(module, "labels", {}) or {}))


def _line_of(template: jinja2.Template, trace: TracebackType | None) -> int | None:
    """The line of the rewritten template where rendering failed: the last frame of its compiled
    code (a source without a file compiles as "<template>"), mapped back to the template's line."""
    line = None
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = template.get_corresponding_lineno(trace.tb_lineno)
        trace = trace.tb_next
    return line
