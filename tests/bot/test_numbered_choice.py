"""Typing a number answers a message whose buttons a channel could only show as a list."""

from datetime import datetime, timezone

from bot.steps import numbered_choice
from channels.models import Address, ChannelKind, Kind, Message

MENU = [["Tra cứu đơn hàng", "m:track"], ["Gặp nhân viên", "m:human"]]
NPS = [[str(n), f"sv:nps:7:{n}"] for n in range(11)]
CSAT = [["1 😞", "sv:csat:7:1"], ["2 🙁", "sv:csat:7:2"], ["3 😐", "sv:csat:7:3"], ["4 🙂", "sv:csat:7:4"], ["5 😍", "sv:csat:7:5"]]


def typed(text: str) -> Message:
    return Message(id="1", sender=Address(ChannelKind.ZALO, "u"), kind=Kind.TEXT, received_at=datetime.now(timezone.utc), text=text)


def test_a_number_picks_the_option_at_that_position() -> None:
    assert numbered_choice(typed("2"), MENU).action == "m:human"


def test_a_score_picks_the_button_with_that_score_not_that_position() -> None:
    assert numbered_choice(typed("8"), NPS).action == "sv:nps:7:8"
    assert numbered_choice(typed("0"), NPS).action == "sv:nps:7:0"
    assert numbered_choice(typed("5"), CSAT).action == "sv:csat:7:5"


def test_text_that_is_not_a_choice_stays_text() -> None:
    assert numbered_choice(typed("3 ngày rồi"), MENU).kind == Kind.TEXT
    assert numbered_choice(typed("7"), MENU).kind == Kind.TEXT
