"""The outbox row's body: written by every writer, read back once by the dispatcher."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from bot.outbox import OutboxBody, OutboxKind, OutboxStatus
from channels.models import Button, Purpose

SURVEY = OutboxBody("Đơn HM1 đã giao. Bạn hài lòng chứ?", (Button("😀", "sv:csat:1:5"),), "📱", Purpose.UPDATE,
                    {"order_code": "HM1", "phone": "84912345678"})
bodies = st.builds(
    OutboxBody,
    st.text(),
    st.lists(st.builds(Button, st.text(), st.text()), max_size=4).map(tuple),
    st.text(),
    st.sampled_from(Purpose),
    st.dictionaries(st.text(), st.text(), max_size=4),
)


@given(bodies)
def test_a_body_reads_back_from_its_json_as_it_was_written(body: OutboxBody) -> None:
    assert OutboxBody.read(json.loads(json.dumps(body.stored()))) == body


def test_a_body_is_stored_in_the_shape_earlier_versions_wrote_and_read() -> None:
    assert SURVEY.stored() == {
        "text": "Đơn HM1 đã giao. Bạn hài lòng chứ?", "buttons": [["😀", "sv:csat:1:5"]], "request_phone": "📱",
        "purpose": "update", "vars": {"order_code": "HM1", "phone": "84912345678"}, "numbered_hint": "",
    }


def test_statuses_and_kinds_keep_the_strings_already_stored_in_rows() -> None:
    assert [status.value for status in OutboxStatus] == [
        "pending", "claimed", "sending", "sent", "failed", "unknown", "skipped_policy", "cancelled",
    ]
    assert [kind.value for kind in OutboxKind] == ["reply", "staff_reply", "notice", "thanks", "survey", "reminder",
                                                   "holding", "care", "checkin", "winback"]
