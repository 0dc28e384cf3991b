"""Which Messenger envelope a message gets, by purpose and time since the customer wrote."""

from __future__ import annotations

from datetime import timedelta

import pytest

from channels.base import OutsideWindow
from channels.messenger import _envelope
from channels.models import Address, ChannelKind, OutboundMessage, Purpose

TO = Address(ChannelKind.MESSENGER, "1")


def message(purpose: Purpose, age: timedelta) -> OutboundMessage:
    return OutboundMessage(key="k", to=TO, purpose=purpose, text="x", since_last_inbound=age)


def test_inside_24_hours_everything_is_a_response() -> None:
    assert _envelope(message(Purpose.UPDATE, timedelta(hours=23))) == {"messaging_type": "RESPONSE"}


def test_a_person_replying_after_24_hours_uses_the_human_agent_tag() -> None:
    assert _envelope(message(Purpose.STAFF, timedelta(days=3))) == {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}


@pytest.mark.parametrize("purpose, age", [(Purpose.UPDATE, timedelta(hours=25)), (Purpose.REPLY, timedelta(hours=25)),
                                          (Purpose.STAFF, timedelta(days=8))])
def test_outside_the_allowed_window_nothing_is_sent(purpose: Purpose, age: timedelta) -> None:
    with pytest.raises(OutsideWindow):
        _envelope(message(purpose, age))
