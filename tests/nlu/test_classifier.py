"""The classifier's promises beyond the intent: entities never override a clear intent, the
complaint flag, the customer's language, and the alternatives a clarifying question offers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.nlu import CLARIFY_BELOW, Intent, Language, classify


@pytest.mark.parametrize(
    ("text", "intent"),
    [("hủy đơn HM1001 giúp em", Intent.CANCEL_ORDER), ("đơn HM2045 giao sai màu, em muốn đổi", Intent.RETURN_OR_EXCHANGE),
     ("số em 0987654321, đổi địa chỉ giao tới công ty", Intent.CHANGE_DELIVERY),
     ("đơn số 4521 em lỡ shipper, giao lại giúp em", Intent.REDELIVERY),
     ("cho em gặp nhân viên về đơn HM1001", Intent.TALK_TO_HUMAN)],
)
def test_an_order_code_or_phone_next_to_a_clear_intent_keeps_the_intent(text: str, intent: Intent) -> None:
    result = classify(text)
    assert result.intent == intent
    assert result.entities.order_code or result.entities.phone


@pytest.mark.parametrize("text", ["HM1001", "0903.123.456", "#12345", "SPXVN012345678901", "đơn HM1001 ạ"])
def test_a_message_that_is_only_an_entity_is_a_status_question(text: str) -> None:
    assert classify(text).intent == Intent.WHERE_IS_MY_ORDER


@pytest.mark.parametrize(
    "text", ["giao gì mà chậm thế, cả tuần rồi", "áo bị rách, thất vọng quá", "bot vô dụng quá, chuyển người đi"],
)
def test_an_unhappy_message_is_a_complaint(text: str) -> None:
    assert classify(text).complaint


@pytest.mark.parametrize("text", ["đơn của em tới đâu rồi ạ", "cảm ơn shop nhiều", "chào shop"])
def test_a_calm_message_is_not_a_complaint(text: str) -> None:
    assert not classify(text).complaint


@pytest.mark.parametrize(
    ("text", "language"),
    [("where is my order", Language.EN), ("can I speak to a real person", Language.EN),
     ("đơn của em tới đâu rồi", Language.VI), ("don cua em toi dau roi", Language.VI), ("check đơn giúp em", Language.VI)],
)
def test_the_customers_language_is_detected(text: str, language: Language) -> None:
    assert classify(text).language == language


@pytest.mark.parametrize(
    ("text", "intent"),
    [("shop còn size M không?", Intent.PRODUCT_QUESTION), ("địa chỉ shop ở đâu vậy", Intent.SHOP_INFO),
     ("shipper gọi mà em không bắt máy, giao lại giúp em", Intent.REDELIVERY),
     ("what are your opening hours?", Intent.SHOP_INFO)],
)
def test_the_new_intents_are_recognised(text: str, intent: Intent) -> None:
    assert classify(text).intent == intent


def test_alternatives_are_the_likeliest_intents_best_first() -> None:
    result = classify("ừm cái đó")
    assert 2 <= len(result.alternatives) <= 3
    assert result.alternatives[0] == (result.intent, result.confidence)
    assert [p for _, p in result.alternatives] == sorted((p for _, p in result.alternatives), reverse=True)


def test_the_clarification_threshold_is_a_probability() -> None:
    assert 0 < CLARIFY_BELOW < 1


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_classified_without_error(text: str) -> None:
    result = classify(text)
    assert 0.0 <= result.confidence <= 1.0
    assert result.intent in Intent and result.language in Language
