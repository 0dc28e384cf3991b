"""How the bot holds a conversation it may not fully understand: complaints, the customer's
language, a doubt asked about once, an intent beside an order code."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from tests.flows.customers import Customer, reply_containing
from tests.understanding.conftest import labels, modes

COMPLAINT = "giao lâu quá, thất vọng thật sự"
UNSURE = "shop ho tro ship giup em"  # a little of tracking, a little of asking for a person


async def test_an_unhappy_message_gets_an_apology_and_a_person(customer: Customer, shop: TestClient) -> None:
    await customer.say(COMPLAINT)
    apology = await reply_containing(customer, "xin lỗi")
    assert "cảm ơn" not in apology.lower()
    assert await modes(shop) == ["human"]


async def test_an_english_conversation_is_answered_in_english(customer: Customer) -> None:
    await customer.say("Hello, where is my order please?")
    assert await reply_containing(customer, "HM7001", "Delivery attempt failed")
    await customer.say("thank you so much")
    assert await reply_containing(customer, "always here to help")


async def test_the_language_follows_the_customer_back_to_vietnamese(customer: Customer) -> None:
    await customer.say("where is my order")
    await reply_containing(customer, "HM7001", "Delivery attempt failed")
    await customer.say("đơn của em tới đâu rồi?")
    assert await reply_containing(customer, "HM7001", "Giao chưa thành công")


async def test_an_unsure_message_gets_one_question_with_the_likeliest_intents_as_buttons(
    customer: Customer, shop: TestClient
) -> None:
    await customer.say(UNSURE)
    await reply_containing(customer, "hiểu đúng ý bạn")
    await customer.tap("Tra cứu đơn hàng")
    assert await reply_containing(customer, "HM7001", "Giao chưa thành công")
    assert await labels(shop) == [(UNSURE, "where_is_my_order", "clarify")]


async def test_a_tapped_answer_is_learned_so_the_same_words_are_not_asked_about_again(customer: Customer) -> None:
    await customer.say(UNSURE)
    await reply_containing(customer, "hiểu đúng ý bạn")
    await customer.tap("Gặp nhân viên")
    await reply_containing(customer, "nhân viên")
    count = len(await customer.messages(0))
    await customer.say(UNSURE)
    assert "hiểu đúng ý bạn" not in (await customer.messages(count + 1))[-1]


async def test_an_order_code_beside_a_clear_intent_keeps_the_intent_and_names_the_order(customer: Customer) -> None:
    await customer.say("em muốn đổi hàng đơn HM7001 vì bị lỗi")
    answer = await reply_containing(customer, "đổi/trả hàng", "HM7001")
    assert "Giao chưa thành công" not in answer


@pytest.mark.parametrize("shop_settings", [{}])
async def test_without_a_faq_a_product_question_goes_to_a_person(customer: Customer, shop: TestClient) -> None:
    from bot.nlu import Intent
    from tests.understanding.conftest import teach

    await teach(shop, "áo này có màu đen không shop", Intent.PRODUCT_QUESTION)
    await customer.say("áo này có màu đen không shop")
    await reply_containing(customer, "về sản phẩm", "nhân viên")
    assert await modes(shop) == ["human"]


async def test_an_order_code_alone_keeps_an_english_conversation_in_english(customer: Customer) -> None:
    await customer.say("hello, where is my order?")
    await reply_containing(customer, "Delivery attempt failed")
    count = len(await customer.messages(0))
    await customer.say("HM7001")
    assert "Delivery attempt failed" in (await customer.messages(count + 1))[-1]
