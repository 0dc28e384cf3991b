"""How often anyone may try to log in: per client address, and per account whatever the address.

A per-address budget alone lets a botnet try one account's passwords from many addresses;
the per-account budget stops that. Both are shared budgets (Redis across replicas), and
the account budget is keyed by whatever email was typed, registered or not, so a refusal
looks and takes the same either way: it reveals nothing about which accounts exist.
Every attempt counts, successful or not, because the budget is spent before the password
is checked: a burst of parallel guesses cannot slip in ahead of the count.
"""

from __future__ import annotations

import hashlib

from bot.coordination.base import Coordinator

PER_ADDRESS = (10, 300.0)
PER_ACCOUNT = (10, 900.0)


def _account(email: str) -> str:
    """Budget key for a typed email: bounded in size, and no address stored in Redis."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


async def wait_before_login(coordinator: Coordinator, address: str | None, email: str) -> float:
    """Seconds to wait before this attempt may be checked; 0 when it may go ahead now."""
    wait = await coordinator.take(f"login:{address}", *PER_ADDRESS)
    if wait > 0:
        return wait
    return await coordinator.take(f"login-account:{_account(email)}", *PER_ACCOUNT)
