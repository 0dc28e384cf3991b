"""Telegram updates skip the generic JSON walk (`parse_bounded`); they keep every bound it gave."""

from __future__ import annotations

import json
import math
from typing import Any, Callable

from hypothesis import given, settings

from channels.telegram_update import Update
from tests.hostile import bodies, leaf_paths, replaced, skeletons_for
from untrusted.documents import parse, parse_bounded
from untrusted.fields import MAX_INT
from untrusted.refused import Refused


def read(reader: Callable[[type[Update], bytes, str], Update], body: bytes) -> Update | None:
    try:
        return reader(Update, body, "Telegram update")
    except Refused:
        return None


def storable(value: Any) -> bool:
    """What any column can hold: 64-bit integers, finite numbers, text without NUL or lone surrogates."""
    if isinstance(value, dict):
        return all(storable(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return all(storable(item) for item in value)
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int):
        return abs(value) <= MAX_INT
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str) and "\x00" not in value and not any("\ud800" <= c <= "\udfff" for c in value)


BREAKERS = [10**20, -(10**20), 2**63, 1e308, "\x00", "a\x00b", "\ud800", "x" * 25_000]


def test_every_field_of_every_update_file_refuses_or_cleans_each_unstorable_value() -> None:
    leaks = []
    for skeleton in skeletons_for("/webhooks/telegram", ""):
        for path in leaf_paths(skeleton):
            for value in BREAKERS:
                update = read(parse_bounded, json.dumps(replaced(skeleton, path, value)).encode())
                if update is not None and not storable(update.model_dump()):
                    leaks.append((path, value))
    assert leaks == []


@settings(max_examples=400, deadline=None)
@given(bodies(skeletons_for("/webhooks/telegram", "")))
def test_a_hostile_update_read_straight_holds_only_storable_values(body: bytes) -> None:
    update = read(parse_bounded, body)
    assert update is None or storable(update.model_dump())


@settings(max_examples=400, deadline=None)
@given(bodies(skeletons_for("/webhooks/telegram", "")))
def test_a_hostile_update_accepted_both_ways_reads_the_same(body: bytes) -> None:
    straight, walked = read(parse_bounded, body), read(parse, body)
    assert straight is None or walked is None or straight == walked
