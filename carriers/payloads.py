"""The webhook fields each carrier adapter reads, typed and bounded.

Carriers send numbers as strings or numbers alike (both accepted), and their examples are
loose; anything of the wrong type where the adapter reads it (an object as an order code)
is refused with the reason. Adapters read the checked document by its wire names
(`untrusted.documents.checked`), so the field names here are the carriers' own.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from untrusted.fields import Code, Reference, ShortText, Text


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class GhnWebhook(_Payload):
    OrderCode: Code
    ClientOrderCode: Reference | None = None
    Type: ShortText | None = None
    Status: ShortText | None = None
    Time: ShortText | None = None
    Description: Text | None = None
    Reason: Text | None = None
    Warehouse: ShortText | None = None


class GhtkWebhook(_Payload):
    label_id: Reference | None = None
    status_id: Reference | None = None
    partner_id: Reference | None = None
    action_time: ShortText | None = None
    reason: Text | None = None
    return_part_package: Reference | None = None
    station: ShortText | None = Field(default=None, alias="cur_station.address_l0")
    area: ShortText | None = Field(default=None, alias="cur_station.address_l1")


class ViettelPostEvent(_Payload):
    """`DATA` of a Viettel Post webhook."""

    ORDER_NUMBER: Code
    ORDER_STATUS: Reference
    ORDER_REFERENCE: Reference | None = None
    ORDER_STATUSDATE: ShortText | None = None
    STATUS_NAME: ShortText | None = None
    NOTE: Text | None = None
    LOCATION_CURRENTLY: ShortText | None = None
    LOCALION_CURRENTLY: ShortText | None = None  # (sic): both spellings arrive
    EMPLOYEE_NAME: ShortText | None = None
    EMPLOYEE_PHONE: ShortText | None = None
    IS_RETURNING: bool | Reference | None = None
