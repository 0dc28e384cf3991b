"""Which Messenger envelope a message gets, by purpose and time since the customer wrote."""

from __future__ import annotations

from datetime import timedelta

import pytest

from channels.base import OutsideWindow
from channels.messenger import _envelope
from channels.models import Address, ChannelKind, OutboundMessage, Purpose, TemplateRef

TO = Address(ChannelKind.MESSENGER, "1")


UTILITY = TemplateRef(name="order_update_vi", params={"order_code": "HM1", "status": "Đã giao"}, language="vi")


def message(purpose: Purpose, age: timedelta, template: TemplateRef | None = None) -> OutboundMessage:
    return OutboundMessage(key="k", to=TO, purpose=purpose, text="x", since_last_inbound=age, template=template)


def test_inside_24_hours_everything_is_a_plain_response_even_with_a_template_configured() -> None:
    envelope = _envelope(message(Purpose.UPDATE, timedelta(hours=23), UTILITY))
    assert envelope == {"messaging_type": "RESPONSE", "message": {"text": "x"}}


def test_a_person_replying_after_24_hours_uses_the_human_agent_tag() -> None:
    envelope = _envelope(message(Purpose.STAFF, timedelta(days=3)))
    assert envelope["messaging_type"] == "MESSAGE_TAG" and envelope["tag"] == "HUMAN_AGENT"


def test_an_update_after_24_hours_goes_as_the_utility_template_never_a_retired_tag() -> None:
    envelope = _envelope(message(Purpose.UPDATE, timedelta(hours=25), UTILITY))
    assert envelope["messaging_type"] == "UTILITY" and "tag" not in envelope
    assert envelope["message"]["template"] == {"name": "order_update_vi", "language": {"code": "vi"}, "components": [
        {"type": "body", "parameters": [{"type": "text", "text": "HM1"}, {"type": "text", "text": "Đã giao"}]}]}


@pytest.mark.parametrize("purpose, age", [(Purpose.UPDATE, timedelta(hours=25)), (Purpose.REPLY, timedelta(hours=25)),
                                          (Purpose.STAFF, timedelta(days=8))])
def test_outside_the_allowed_window_nothing_is_sent(purpose: Purpose, age: timedelta) -> None:
    with pytest.raises(OutsideWindow):
        _envelope(message(purpose, age))
