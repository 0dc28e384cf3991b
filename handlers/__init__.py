"""Intent and action handlers; `build_router` is the one place that shows their priority."""

from __future__ import annotations

from bot.router import Router
from handlers import (
    conversation, coupon, fallback, handoff, linking, menu, opt_out, order_status, redelivery,
    refused_button, survey,
)


def build_router() -> Router:
    root = Router("root")
    root.include(
        linking.router, survey.router, redelivery.router, menu.router, handoff.router, opt_out.router,
        order_status.router, coupon.router, conversation.router, fallback.router, refused_button.router,
    )
    return root
