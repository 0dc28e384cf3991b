"""`haumai returns policy`: the shop's return policy as the bot applies it (issue 15).

The help lists each setting with its environment variable and default, so the owner sees what
can be changed without reading the code."""

from __future__ import annotations

import argparse
from typing import Any, Callable

from bot.config import Settings

FIELDS = (
    ("returns_window_days", "refund: days after delivery"),
    ("returns_exchange_window_days", "exchange: days after delivery"),
    ("returns_free_reasons", "reasons the bot approves by itself"),
    ("returns_photo_reasons", "reasons that need a photo"),
    ("returns_refund_methods", "refund methods offered (bank, credit, cod_reversal)"),
    ("returns_excluded", "words of item names or categories never taken back"),
    ("returns_pickup_carrier", "carrier that books return pickups (sandbox), or off: staff enter the code"),
    ("returns_photo_max_bytes", "largest photo accepted, in bytes"),
)


def _variable(name: str) -> str:
    return f"HAUMAI_{name.upper()}"


def describe(settings: Settings) -> str:
    return "\n".join(f"{_variable(name)}={getattr(settings, name)}\n    {meaning}" for name, meaning in FIELDS)


def add_returns_commands(sub: Any, settings: Callable[[], Settings]) -> None:
    defaults = "\n".join(f"  {_variable(name)} (default {Settings.model_fields[name].default!r}): {meaning}"
                         for name, meaning in FIELDS)
    returns = sub.add_parser(
        "returns", help="the shop's return and exchange policy", formatter_class=argparse.RawDescriptionHelpFormatter,
        description=f"Returns and exchanges in chat. The policy comes from these settings:\n{defaults}",
    ).add_subparsers(dest="returns_command", required=True, metavar="ACTION", help="what to show")

    def policy(_args: argparse.Namespace) -> int:
        print(describe(settings()))
        return 0

    returns.add_parser("policy", help="print the policy in force").set_defaults(handler=policy)
