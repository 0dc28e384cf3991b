"""The REST API for the shop's systems (`/api/v1`, bearer key)."""

from __future__ import annotations

from aiohttp import web

from app.api.auth import require_api_key
from app.api.cx import metrics, redeem_coupon
from app.api.experiments import (
    get_experiment, list_experiments, post_experiment, start_experiment, stop_experiment,
)
from app.api.openapi import openapi
from app.api.segments import get_segments
from app.api.orders import get_order, post_event, post_order
from app.api.returns import list_returns, post_return, post_return_event


def setup_api(app: web.Application) -> None:
    app.middlewares.append(require_api_key)
    app.router.add_post("/api/v1/orders", post_order)
    app.router.add_get("/api/v1/orders/{code}", get_order)
    app.router.add_post("/api/v1/orders/{code}/events", post_event)
    app.router.add_post("/api/v1/coupons/{code}/redeem", redeem_coupon)
    app.router.add_get("/api/v1/metrics", metrics)
    app.router.add_get("/api/v1/openapi.json", openapi)
    # --- experiments (issue 16) ---
    app.router.add_get("/api/v1/experiments", list_experiments)
    app.router.add_post("/api/v1/experiments", post_experiment)
    app.router.add_get("/api/v1/experiments/{id}", get_experiment)
    app.router.add_post("/api/v1/experiments/{id}/start", start_experiment)
    app.router.add_post("/api/v1/experiments/{id}/stop", stop_experiment)
    app.router.add_get("/api/v1/segments", get_segments)
    # returns and exchanges (issue 15)
    app.router.add_get("/api/v1/returns", list_returns)
    app.router.add_post("/api/v1/returns", post_return)
    app.router.add_post("/api/v1/returns/{id}/events", post_return_event)
