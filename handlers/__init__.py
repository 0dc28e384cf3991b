"""Intent and action handlers; `build_router` is the one place that shows their priority."""

from __future__ import annotations

from bot.router import Router
from handlers import conversation, fallback, handoff, linking, menu, opt_out, order_status


def build_router() -> Router:
    root = Router("root")
    root.include(
        linking.router, menu.router, handoff.router, opt_out.router, order_status.router,
        conversation.router, fallback.router,
    )
    return root
