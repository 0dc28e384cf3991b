"""Which care messages an order's items call for: whole words, with or without diacritics."""

from __future__ import annotations

from datetime import timedelta

from bot.config import CareSpec
from scheduler.care import care_for

MESSAGES = {"ao": CareSpec(template="care/clothing", delay="2d"), "nồi chiên": CareSpec(template="care/usage", delay="1d")}


def test_a_key_without_diacritics_finds_the_product_written_with_them() -> None:
    assert care_for([{"name": "Áo thun cotton"}], MESSAGES) == {"care/clothing": timedelta(days=2)}


def test_a_key_is_matched_as_whole_words_only() -> None:
    assert care_for([{"name": "Túi giao hàng"}], MESSAGES) == {}


def test_a_category_counts_like_a_name_and_each_template_is_sent_once() -> None:
    items = [{"name": "Noi chien khong dau 5L"}, {"name": "Quà", "category": "Áo"}, {"name": "Áo khoác"}]
    assert care_for(items, MESSAGES) == {"care/usage": timedelta(days=1), "care/clothing": timedelta(days=2)}
