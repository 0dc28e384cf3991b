"""A template as each channel would show it: rendered with sample data, then degraded by
`channels.fit` exactly as the dispatcher degrades a real message (text cut to the platform's
limit, too many buttons turned into a numbered list). `haumai templates preview` and the
settings page both show this."""

from __future__ import annotations

from dataclasses import dataclass

from bot.turn import NUMBERED_HINT
from channels.fit import fit
from channels.models import Address, Button, ChannelKind, OutboundMessage
from channels.registry import capabilities_of
from content.renderer import Problem, Rendered, Renderer


@dataclass(frozen=True, slots=True)
class Preview:
    channel: ChannelKind
    text: str
    buttons: tuple[str, ...]  # the titles shown as buttons; none where they became a list


def as_shown(renderer: Renderer, rendered: Rendered, language: str, channel: ChannelKind) -> Preview:
    buttons = tuple(Button(title, f"preview:{key}") for key, title in rendered.labels.items() if key != "share_phone")
    hint = renderer.render(NUMBERED_HINT, language=language, channel=channel.value).text
    shown = fit(OutboundMessage(key="preview", to=Address(channel, "preview"), text=rendered.text, buttons=buttons),
                capabilities_of(channel), numbered_hint=hint)
    return Preview(channel, shown.text, tuple(b.title for b in shown.buttons))


def previews(renderer: Renderer, language: str, name: str, source: str | None = None) -> list[Preview] | Problem:
    """Every channel's view of template `name`: as it serves now, or as `source` would."""
    rendered = renderer.trial(language, name, renderer.source(language, name) if source is None else source)
    if isinstance(rendered, Problem):
        return rendered
    return [as_shown(renderer, rendered, language, channel) for channel in ChannelKind]
