"""Money as platforms write it ("300000.00", 300000, "300000") as whole VND."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from untrusted.refused import Refused

MAX_AMOUNT = 10**15


def whole_vnd(value: str | int | float | None) -> int:
    if value is None or value == "":
        return 0
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise Refused("an amount is not a number") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise Refused("an amount is outside 0 … 10^15")
    return int(amount.to_integral_value())
