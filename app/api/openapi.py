"""The OpenAPI document of the REST API, with body schemas taken from the pydantic models."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from app.api.returns import ReturnEventIn, ReturnIn
from app.api.schemas import EventIn, OrderIn, RedeemIn

ERROR = {"description": "error with a reason", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _body(name: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


def _op(summary: str, responses: dict[str, str], body: str | None = None, code: bool = False) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": {k: {"description": v} for k, v in responses.items()}}
    op["responses"].update({"401": ERROR, "403": ERROR})
    if body:
        op["requestBody"] = _body(body)
        op["responses"].update({"400": ERROR, "422": ERROR})
    if code:
        op["parameters"] = [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}]
    return op


def document() -> dict[str, Any]:
    schemas = {m.__name__: m.model_json_schema(ref_template="#/components/schemas/{model}") for m in (OrderIn, EventIn, RedeemIn, ReturnIn, ReturnEventIn)}
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
