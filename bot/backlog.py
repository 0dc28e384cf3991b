"""How much work is waiting, for Prometheus: webhooks not yet acknowledged, turns not yet taken.

Under a burst the two compete for one event loop (bot.ingest.Ingestor.take_turns shares it out);
these gauges show an operator which side is falling behind.
"""

from __future__ import annotations

from prometheus_client import Gauge

ACKS_WAITING = Gauge("haumai_acks_waiting", "Webhook requests waiting for their events to be stored before their 200")
TURNS_WAITING = Gauge("haumai_turns_waiting", "Accepted inbound events queued for a turn, not yet taken into a batch")
