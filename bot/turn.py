"""What a handler and the pipeline's steps get: the message, who sent it, the means to answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions import sealed, unseal
from bot.clock import Clock
from bot.config import Settings
from bot.contacts import Party
from bot.live_settings import LiveSettings
from bot.conversation_events import open_handoff
from bot.touches import touch
from bot.nlu import Classification
from bot.outbox import OutboxBody, OutboxKind, OutboxMessage, enqueue
from channels.fit import lists_buttons
from channels.models import Button, Message
from channels.registry import capabilities_of
from content.renderer import Renderer

if TYPE_CHECKING:  # bot.returns builds on this module
    from bot.returns.tools import ReturnTools

ButtonSpec = Button | tuple[str, str]  # a ready button, or (label key in the template, action)
NUMBERED_HINT = "choice/numbered_hint"  # shown where a channel lists the buttons as numbers (channels.fit)
Handler = Callable[["Turn"], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Services:
    live: LiveSettings
    renderer: Renderer
    secret: bytes
    clock: Clock
    returns: ReturnTools | None = None  # photo downloads and return pickups (issue 15)

    @property
    def settings(self) -> Settings:
        """The shop's settings now: read at each use, so a change in the browser applies to the next message."""
        return self.live.current


@dataclass(slots=True)
class Turn:
    session: AsyncSession
    services: Services
    message: Message
    party: Party
    event_id: int
    classification: Classification | None = None
    replies: int = field(default=0)
    action: str | None = field(init=False, default=None)  # the tapped button, once its seal matched
    handler: Handler | None = None  # what routing chose; the pipeline ends by running it
    fell_back: bool = False  # routing found no handler of its own and chose the fallback
    asking: bool = False  # routing chose to ask which intent was meant: no handler understood it either
    ignored: bool = False  # a person owns the conversation, so the bot stayed silent

    def __post_init__(self) -> None:
        self.read_as(self.message)

    def read_as(self, message: Message) -> None:
        """Take the message as the bot understands it (a typed "2" as the second button tapped).

        The seal is checked against the contact before any handler runs: a merge later in the
        turn changes it.
        """
        self.message = message
        secret, contact_id = self.services.secret, self.party.contact.id
        self.action = None if message.action is None else unseal(secret, contact_id, message.action)

    @property
    def now(self) -> datetime:
        return self.services.clock()

    @property
    def language(self) -> str:
        return self.party.contact.language or self.services.settings.language

    @property
    def action_args(self) -> list[str]:
        return (self.action or "").split(":")[1:]

    def render(self, name: str, **variables: Any) -> tuple[str, dict[str, str]]:
        rendered = self.services.renderer.render(
            name,
            language=self.language,
            channel=self.message.sender.channel.value,
            shop_name=self.services.settings.shop_name,
            **variables,
        )
        return rendered.text, dict(rendered.labels)

    async def reply(
        self,
        template: str,
        *,
        buttons: Sequence[ButtonSpec] = (),
        request_phone: bool = False,
        **variables: Any,
    ) -> None:
        """Queue a templated answer; the turn's batch claims it and hands it to the dispatcher as it commits (bot.handover)."""
        text, labels = self.render(template, **variables)
        ready = sealed(
            self.services.secret, self.party.contact.id,
            (b if isinstance(b, Button) else Button(labels[b[0]], b[1]) for b in buttons),
        )
        body = OutboxBody(text, ready, labels.get("share_phone", "📱") if request_phone else "",
                          numbered_hint=self._numbered_hint(len(ready), request_phone))
        touch(self.session, self.party.conversation, "offered", body.offered())
        self.replies += 1
        await enqueue(self.session, OutboxMessage(
            key=f"reply:{self.event_id}:{self.replies}",
            kind=OutboxKind.REPLY,
            to=self.message.sender,
            body=body,
            due_at=self.now,
            contact_id=self.party.contact.id,
            conversation_id=self.party.conversation.id,
        ), now=self.now, with_batch=True, hand_over=True)

    def _numbered_hint(self, buttons: int, request_phone: bool) -> str:
        """Rendered only where the sender's channel will list these buttons as numbers: a reply
        goes back where the message came from, and most replies fit as buttons (a render saved)."""
        caps = capabilities_of(self.message.sender.channel)
        return self.render(NUMBERED_HINT)[0] if lists_buttons(caps, buttons, request_phone=request_phone) else ""

    def hand_off(self, reason: str) -> None:
        """Give the conversation to a person; the bot stays silent until it is released."""
        open_handoff(self.session, self.party.conversation, reason, self.now)
