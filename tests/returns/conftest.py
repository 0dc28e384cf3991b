"""Fixtures of tests/flows (fake Telegram, Graph, Zalo, GHN and the movable clock) for the returns tests."""

from tests.flows.conftest import clock, ghn, graph, telegram, zalo  # noqa: F401  (fixtures)
