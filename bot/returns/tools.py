"""What the returns conversation needs beyond a turn's services: the platforms' file APIs and
the carriers that book return pickups (both need the replica's HTTP client)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.returns.parcels import Pickups
from bot.returns.photos import PhotoFetcher


@dataclass(frozen=True, slots=True)
class ReturnTools:
    photos: PhotoFetcher
    pickups: Pickups
