"""First-match routing of a turn: platform events, tapped buttons, then intents, then fallback."""

from __future__ import annotations

from typing import Callable, TypeVar

from bot.clarification import choices
from bot.nlu import Intent
from bot.pipeline import Next
from bot.turn import Handler, Turn
from channels.models import Kind

Key = TypeVar("Key")


REMEDIED = frozenset({Intent.OPT_OUT, Intent.RETURN_OR_EXCHANGE})  # intents whose own handler answers a complaint

class Router:
    def __init__(self, name: str) -> None:
        self.name = name
        self._kinds: dict[Kind, Handler] = {}
        self._actions: dict[str, Handler] = {}
        self._intents: dict[Intent, Handler] = {}
        self._fallback: Handler | None = None
        self._refused: Handler | None = None
        self._complaint: Handler | None = None
        self._unsure: Handler | None = None

    def kind(self, *kinds: Kind) -> Callable[[Handler], Handler]:
        return self._register(self._kinds, kinds)

    def action(self, *prefixes: str) -> Callable[[Handler], Handler]:
        """Buttons carry `prefix:args…`; the prefix picks the handler."""
        return self._register(self._actions, prefixes)

    def intent(self, *intents: Intent) -> Callable[[Handler], Handler]:
        return self._register(self._intents, intents)

    def fallback(self, handler: Handler) -> Handler:
        self._fallback = handler
        return handler

    def refused(self, handler: Handler) -> Handler:
        """Where a tapped payload goes when it was not sealed for this customer (bot.actions)."""
        self._refused = handler
        return handler

    def complaint(self, handler: Handler) -> Handler:
        """Where an unhappy message goes, whatever its intent: an apology and a person."""
        self._complaint = handler
        return handler

    def unsure(self, handler: Handler) -> Handler:
        """Where a message goes that the bot is unsure of, with likely intents to ask about (bot.clarification)."""
        self._unsure = handler
        return handler

    def include(self, *routers: Router) -> None:
        """Earlier registrations win, so include order is priority order."""
        for router in routers:
            _keep_first(self._kinds, router._kinds)
            _keep_first(self._actions, router._actions)
            _keep_first(self._intents, router._intents)
            self._fallback = self._fallback or router._fallback
            self._refused = self._refused or router._refused
            self._complaint = self._complaint or router._complaint
            self._unsure = self._unsure or router._unsure

    def handler_for(self, turn: Turn) -> Handler | None:
        message = turn.message
        if message.kind in self._kinds:
            return self._kinds[message.kind]
        if message.action is not None:
            if turn.action is not None:
                return self._actions.get(turn.action.split(":", 1)[0], self._fallback)
            if message.action.split(":", 1)[0] in self._actions:  # would act, but was not sealed for them
                return self._refused or self._fallback
            return self._fallback  # not ours at all (a page's Get Started button): not understood
        return self._by_understanding(turn)

    def _by_understanding(self, turn: Turn) -> Handler | None:
        """An unhappy customer first (unless asking to hear no more, or for a return: the returns
        conversation is the remedy, and it apologises first), then a
        doubt worth a question, then the intent. The intent
        decides even beside an order code or phone: its handler fills the entity in."""
        classification = turn.classification
        if classification is None:
            return self._fallback
        if classification.complaint and classification.intent not in REMEDIED and self._complaint is not None:
            return self._complaint
        if self._unsure is not None and choices(classification, turn.services.settings.nlu_confidence):
            return self._unsure
        return self._intents.get(classification.intent, self._fallback)

    async def answer_by_intent(self, turn: Turn) -> None:
        """A handler answering by the turn's intent alone, for a tapped clarification
        (bot.clarification): the customer said what they meant, so no doubt or mood applies."""
        intent = turn.classification.intent if turn.classification else None
        handler = self._intents.get(intent, self._fallback) if intent is not None else self._fallback
        if handler is not None:
            await handler(turn)

    async def route(self, turn: Turn, next_step: Next) -> None:
        """A step after every step that reads the message (numbered choice, classification) and
        after the human-mode check, which decides whether the bot answers at all. It only picks the
        handler: the steps after it see the choice (keywords and survey comments apply only where
        the fallback was chosen) and the pipeline runs the handler after the last step."""
        turn.handler = self.handler_for(turn)
        turn.fell_back = turn.handler is not None and turn.handler is self._fallback
        turn.asking = turn.handler is not None and turn.handler is self._unsure
        await next_step(turn)

    @staticmethod
    def _register(table: dict[Key, Handler], keys: tuple[Key, ...]) -> Callable[[Handler], Handler]:
        def decorator(handler: Handler) -> Handler:
            for key in keys:
                table[key] = handler
            return handler

        return decorator


def _keep_first(mine: dict[Key, Handler], theirs: dict[Key, Handler]) -> None:
    for key, handler in theirs.items():
        mine.setdefault(key, handler)
