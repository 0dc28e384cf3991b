"""Once a server has started, what it loaded stays out of the collector's way; cycles are still collected."""

from __future__ import annotations

import gc
import weakref
from typing import Iterator

import pytest
from aiohttp import web

from app.heap import YOUNG_THRESHOLD, settle


@pytest.fixture
def restored_collector() -> Iterator[None]:
    """`settle` changes the whole test process's collector: put it back as it was."""
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.mark.usefixtures("restored_collector")
async def test_a_started_server_freezes_what_it_holds_and_still_collects_new_cycles() -> None:
    await settle(web.Application())
    assert gc.get_freeze_count() > 0  # what the app holds now: modules, mappers, the NLU model
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD
    first, second = Node(), Node()
    first.other, second.other = second, first
    gone = weakref.ref(first)
    del first, second
    gc.collect()
    assert gone() is None
