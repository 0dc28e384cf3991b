"""`haumai serve` with its turn worker stopped: the durable ack path alone.

Issue 12 asks for durable acks at half the bare handler's rate while turns keep their share of
the loop. This measures what the ack path (verify, parse, dedupe, group commit, 200) gives when
it has the whole loop, so a run shows how far that target sits from the ceiling under it. A
measuring instrument only: the accepted updates stay queued and unanswered (the database keeps
them, and a normal start would answer them), which no shop would want. One worker only: with
more, each worker is started as `python -m bot` and takes turns again.
"""

import runpy

from bot.processing import Processor
from bot.supervisor import Supervisor


def _no_turn_worker(self: Processor, supervisor: Supervisor) -> None:
    """Accepted updates wait in the queue; nothing takes them."""


Processor.start = _no_turn_worker  # type: ignore[method-assign]
runpy.run_module("app", run_name="__main__", alter_sys=True)
