"""The OpenAPI document of the REST API, with body schemas taken from the pydantic models."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from app.api.returns import ReturnEventIn, ReturnIn
from app.api.schemas import EventIn, OrderIn, RedeemIn
from bot.experiments.spec import ExperimentSpec

ERROR = {"description": "error with a reason", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _body(name: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


def _op(summary: str, responses: dict[str, str], body: str | None = None, code: bool | str = False) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": {k: {"description": v} for k, v in responses.items()}}
    op["responses"].update({"401": ERROR, "403": ERROR})
    if body:
        op["requestBody"] = _body(body)
        op["responses"].update({"400": ERROR, "422": ERROR})
    if code:
        name = code if isinstance(code, str) else "code"
        op["parameters"] = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}]
    return op


EXPERIMENT_PATHS = {  # issue 16
    "/api/v1/experiments": {
        "get": _op("Every experiment, the newest first", {"200": "the experiments"}),
        "post": _op("Create an experiment (a draft): arms with weights, one named control",
                    {"201": "created"}, "ExperimentSpec"),
    },
    "/api/v1/experiments/{id}": {"get": _op(
        "An experiment with its outcomes per arm: sizes, intervals (Bonferroni-widened) and verdicts",
        {"200": "the experiment and its results", "404": "unknown experiment"}, code="id")},
    "/api/v1/experiments/{id}/start": {"post": _op(
        "Start a draft: new orders are assigned to its arms from now on",
        {"200": "started", "404": "unknown experiment", "409": "not a draft, or another experiment runs"}, code="id")},
    "/api/v1/experiments/{id}/stop": {"post": _op(
        "Stop a running experiment: orders keep their arms, the journey is the ordinary one again",
        {"200": "stopped", "404": "unknown experiment", "409": "not running"}, code="id")},
    "/api/v1/segments": {"get": _op(
        "Customer segments (new, repeat, vip, at_risk, detractor, promoter) with repeat-purchase rate, churn "
        "and CLV, and a cohort table by month of first purchase", {"200": "segments and cohorts"})},
}


def document() -> dict[str, Any]:
    schemas = {m.__name__: m.model_json_schema(ref_template="#/components/schemas/{model}") for m in (OrderIn, EventIn, RedeemIn, ExperimentSpec, ReturnIn, ReturnEventIn)}
    for schema in list(schemas.values()):
        schemas.update(schema.pop("$defs", {}))
    schemas["Error"] = {"type": "object", "properties": {"error": {"type": "string"}, "detail": {"type": "string"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Haumai REST API", "version": "1"},
        "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/orders": {"post": _op("Create or update an order (upsert by code)", {"201": "created", "200": "updated"}, "OrderIn")},
            "/api/v1/orders/{code}": {"get": _op("An order with its timeline and scheduled messages", {"200": "the order", "404": "unknown order"}, code=True)},
            "/api/v1/orders/{code}/events": {"post": _op("A status change from the shop's system", {"201": "recorded", "200": "duplicate", "404": "unknown order"}, "EventIn", code=True)},
            "/api/v1/coupons/{code}/redeem": {"post": _op("Redeem a coupon", {"200": "redeemed", "404": "unknown", "409": "used or expired"}, "RedeemIn", code=True)},
            "/api/v1/metrics": {"get": _op("The dashboard's figures (?from=&to=: ISO dates or datetimes, shop time when naive, "
                                           "by default the last 30 days; &channel=)",
                                           {"200": "metrics", "400": "bad period or channel"})},
            **EXPERIMENT_PATHS,
            # returns and exchanges (issue 15)
            "/api/v1/returns": {
                "get": _op("Return requests, newest first (?state=requested …)", {"200": "the requests", "400": "bad state"}),
                "post": _op("Open a return request for a delivered order", {"201": "requested (approved at once for a free reason)",
                            "404": "unknown order", "409": "the order has an open request",
                            "422": "not returnable (not_delivered, outside_window, excluded)"}, "ReturnIn"),
            },
            "/api/v1/returns/{id}/events": {"post": {**_op(
                "A step of a return: approved, rejected, pickup_scheduled (carrier + tracking_code), received, refunded, "
                "exchanged_shipped (tracking_code), closed", {"201": "recorded", "200": "duplicate", "404": "unknown request",
                                                              "409": "not allowed from its state"}, "ReturnEventIn"),
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]}},
        },
    }


async def openapi(_request: web.Request) -> web.Response:
    return web.json_response(document())
