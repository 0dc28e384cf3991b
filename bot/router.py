"""First-match routing of a turn: platform events, tapped buttons, then intents, then fallback."""

from __future__ import annotations

from typing import Callable, TypeVar

from bot.nlu import Intent
from bot.pipeline import Next
from bot.turn import Handler, Turn
from channels.models import Kind

Key = TypeVar("Key")


class Router:
    def __init__(self, name: str) -> None:
        self.name = name
        self._kinds: dict[Kind, Handler] = {}
        self._actions: dict[str, Handler] = {}
        self._intents: dict[Intent, Handler] = {}
        self._fallback: Handler | None = None
        self._refused: Handler | None = None

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

    def include(self, *routers: Router) -> None:
        """Earlier registrations win, so include order is priority order."""
        for router in routers:
            _keep_first(self._kinds, router._kinds)
            _keep_first(self._actions, router._actions)
            _keep_first(self._intents, router._intents)
            self._fallback = self._fallback or router._fallback
            self._refused = self._refused or router._refused

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
        if turn.classification is not None and turn.classification.intent in self._intents:
            return self._intents[turn.classification.intent]
        return self._fallback

    async def route(self, turn: Turn, next_step: Next) -> None:
        """A step after every step that reads the message (numbered choice, classification) and
        after the human-mode check, which decides whether the bot answers at all. It only picks the
        handler: the steps after it see the choice (keywords and survey comments apply only where
        the fallback was chosen) and the pipeline runs the handler after the last step."""
        turn.handler = self.handler_for(turn)
        turn.fell_back = turn.handler is not None and turn.handler is self._fallback
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
