"""Graph API errors lead to the right outbox decision (docs/platforms.md §2.5)."""

from __future__ import annotations

import pytest

from channels.base import AuthFailed, OutsideWindow, RecipientUnreachable, RejectedRequest, RetryLater
from channels.messenger import _error

CASES = [
    (400, {"code": 613}, RetryLater),  # calls exceeded the rate limit
    (400, {"code": 4}, RetryLater),  # app-level throttling
    (400, {"code": 32}, RetryLater),  # page-level throttling
    (500, {"code": 2}, RetryLater),  # temporary service error
    (400, {"code": 10, "error_subcode": 2018278}, OutsideWindow),  # outside the allowed window
    (400, {"code": 551, "error_subcode": 1545041}, RecipientUnreachable),  # person not available
    (400, {"code": 100, "error_subcode": 2018001}, RecipientUnreachable),  # no matching user
    (400, {"code": 190}, AuthFailed),  # page token expired
    (400, {"code": 100}, RejectedRequest),  # invalid parameter (what a retired tag gets)
]


@pytest.mark.parametrize(("status", "error", "decision"), CASES, ids=[str(c[1]) for c in CASES])
def test_each_graph_error_maps_to_its_decision(status: int, error: dict[str, int], decision: type[Exception]) -> None:
    assert type(_error(status, error)) is decision
