"""Every documented Zalo error code (HTTP 200 + {"error": -N}) leads to the right outbox decision."""

from __future__ import annotations

import pytest

from channels.base import AuthFailed, OutsideWindow, RecipientUnreachable, RejectedRequest, RetryLater
from channels.zalo import _error

DOCUMENTED = {
    -32: RetryLater,  # rate limit
    -133: RetryLater,  # template blocked at night
    -234: RetryLater,  # cannot send at night
    -216: AuthFailed,  # access token invalid: refresh
    -220: AuthFailed,  # access token expired: refresh
    -124: AuthFailed,  # invalid access token (ZBS)
    -230: OutsideWindow,  # no interaction in 7 days
    -232: OutsideWindow,  # interaction expired
    -213: RecipientUnreachable,  # not a follower
    -227: RecipientUnreachable,  # banned or inactive > 45 days
    -244: RecipientUnreachable,  # user restricted this message type
    -108: RecipientUnreachable,  # invalid phone
    -114: RecipientUnreachable,  # user cannot receive
    -201: RejectedRequest,  # invalid parameter
    -233: RejectedRequest,  # message type invalid
    -240: RejectedRequest,  # MessageV2 shut down
    -248: RejectedRequest,  # violates platform standards
    -115: RejectedRequest,  # out of quota
    -131: RejectedRequest,  # template not approved
    -144: RejectedRequest,  # daily quota exceeded
}


@pytest.mark.parametrize(("code", "decision"), DOCUMENTED.items(), ids=[str(c) for c in DOCUMENTED])
def test_each_documented_zalo_error_maps_to_its_decision(code: int, decision: type[Exception]) -> None:
    error = _error(code, "message")
    assert type(error) is decision and error.code == str(code)


def test_an_undocumented_code_is_permanent_not_retried_forever() -> None:
    assert type(_error(-99999, "?")) is RejectedRequest
