"""The garbage collector tuned for a server whose heap is mostly long-lived.

CPython's cyclic collector makes a young pass every 700 new container objects and a full pass
over the whole heap once enough of them have survived. A started server keeps what it imported
and loaded (modules, SQLAlchemy's mappers and compiled statements, the NLU model, templates)
for its whole life, while a burst allocates rows, ORM objects and requests by the thousand, most
of them gone by the end of their batch. The profile (docs/performance.md) found a tenth of the
server's CPU in the collector, most of it full passes re-walking that start-up heap, and young
passes promoting a batch's objects that were about to die. So, once the app has started, what
it holds is frozen out of collection (`gc.freeze`), and young passes wait for 10,000 new
objects instead of 700. Cycles are still collected; only how often the collector looks changes.
"""

from __future__ import annotations

import gc

from aiohttp import web

YOUNG_THRESHOLD = 10_000


async def settle(app: web.Application) -> None:
    """Appended last to the app's `on_startup`, once the runtime holds what it loaded."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD)
