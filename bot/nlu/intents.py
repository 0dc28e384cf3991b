"""What a customer can mean (the contract's intent list) and the languages the bot answers in."""

from __future__ import annotations

from enum import StrEnum


class Intent(StrEnum):
    WHERE_IS_MY_ORDER = "where_is_my_order"
    TALK_TO_HUMAN = "talk_to_human"
    RETURN_OR_EXCHANGE = "return_or_exchange"
    CANCEL_ORDER = "cancel_order"
    CHANGE_DELIVERY = "change_delivery"
    OPT_OUT = "opt_out"
    COUPON = "coupon"
    GREETING = "greeting"
    THANKS = "thanks"
    REDELIVERY = "redelivery"
    PRODUCT_QUESTION = "product_question"
    SHOP_INFO = "shop_info"
    OTHER = "other"


class Language(StrEnum):
    VI = "vi"
    EN = "en"
