"""The stand-in signals and the clarifying question's choices, on hostile and ordinary text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.clarification import MOST_CHOICES, choices
from bot.nlu import Intent, Language, classify, fold
from bot.nlu.signals import english, unhappy
from bot.teaching import FOLDED_LENGTH, folded_key


@given(st.text(max_size=3000))
def test_any_text_is_classified_with_a_language_a_mood_and_at_most_three_alternatives(text: str) -> None:
    classification = classify(text)
    assert classification.language in (Language.VI, Language.EN) and isinstance(classification.complaint, bool)
    assert len(classification.alternatives) <= MOST_CHOICES
    assert isinstance(english(text), bool) and isinstance(unhappy(fold(text)), bool)


@given(st.text(max_size=3000), st.floats(min_value=0.0, max_value=1.0))
def test_a_question_offers_two_or_three_distinct_intents_or_none(text: str, threshold: float) -> None:
    offered = choices(classify(text), threshold)
    assert len(offered) in (0, 2, 3) and len(set(offered)) == len(offered) and Intent.OTHER not in offered


@given(st.text(max_size=5000))
def test_a_label_key_always_fits_its_column(text: str) -> None:
    assert len(folded_key(text)) <= FOLDED_LENGTH


@pytest.mark.parametrize("text", ["where is my order?", "Hi, can I return this?", "when will my parcel arrive"])
def test_english_messages_are_read_as_english(text: str) -> None:
    assert classify(text).language == Language.EN


@pytest.mark.parametrize("text", ["don hang cua toi den dau roi", "đơn của em tới đâu rồi", "ship oi giao chua z"])
def test_vietnamese_with_or_without_diacritics_is_read_as_vietnamese(text: str) -> None:
    assert classify(text).language == Language.VI


def test_a_sure_message_needs_no_question() -> None:
    assert choices(classify("hủy đơn giúp em"), 0.6) == []
