"""Intent and action handlers and the steps around them: the one place that shows their order."""

from __future__ import annotations

from bot.pipeline import Pipeline
from bot.router import Router
from bot.clarification import PREFIX as CLARIFIED, read_clarified_intent
from bot.language_memory import remember_language
from bot.steps import classify_text, honour_withdrawal, leave_to_staff, read_numbered_choice, record_inbound
from handlers import (
    clarification, complaint, conversation, coupon, fallback, handoff, linking, menu, opt_out, order_status,
    product_question, redelivery, refused_button, shop_info, survey,
)


def build_router() -> Router:
    root = Router("root")
    root.include(
        linking.router, survey.router, redelivery.router, menu.router, handoff.router, opt_out.router,
        order_status.router, coupon.router, conversation.router, fallback.router, refused_button.router,
        shop_info.router, product_question.router, complaint.router, clarification.router,
    )
    root.action(CLARIFIED)(root.answer_by_intent)  # a tapped intent is answered as if typed clearly
    return root


def build_pipeline() -> Pipeline:
    """Every inbound message's path, in order, ending in the handler the router chose; each step's
    docstring says why it sits where it sits."""
    pipeline = Pipeline()
    pipeline.register(
        honour_withdrawal, record_inbound, read_numbered_choice, classify_text, read_clarified_intent,
        remember_language, leave_to_staff, build_router().route, opt_out.opt_in_by_keyword, survey.take_comment,
    )
    return pipeline
