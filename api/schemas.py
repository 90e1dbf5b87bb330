"""Request and response bodies of the public API (DESIGN.md §5)."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from workflows.registry import SAGAS

# DESIGN §5: ids are 1-64 characters of [A-Za-z0-9_-]; they are forwarded into internal URLs
# and saga ids, so they are checked in bodies and paths alike.
ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
Id = Field(min_length=1, max_length=64, pattern=ID_PATTERN)
PathId = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]
# Saga ids are composed from an id, one shape per saga type (workflows/registry.py):
# create-order-<id>, cancel-order-<id>, revise-order-<id>-<revision>.
SAGA_ID_PATTERN = SAGAS.saga_id_pattern()
SagaId = Annotated[str, Path(pattern=SAGA_ID_PATTERN)]  # the pattern bounds the length
# Strict: 2.0, true and "2" are refused rather than coerced.
Quantity = Annotated[int, Field(strict=True, ge=1, le=1000)]


class LineItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    menu_item_id: str = Id
    quantity: Quantity


class OrderRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    consumer_id: str = Id
    restaurant_id: str = Id
    line_items: list[LineItemIn] = Field(min_length=1, max_length=50)


class OrderAccepted(BaseModel):
    order_id: str
    saga_id: str
    status: str


class SagaAccepted(BaseModel):
    saga_id: str
    status: str


class ErrorOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    message: str


class StepOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    kind: str
    status: str
    attempts: int
    error: ErrorOut | None
    compensation: str | None
    compensation_attempts: int
    group: str | None = None  # the parallel group the step runs in, if any


class OperatorActionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    actor: str
    at: datetime
    action: str
    reason: str
    step: str | None


class SagaOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    saga_id: str
    saga_type: str
    status: str
    steps: list[StepOut]
    error: ErrorOut | None
    started_at: datetime
    closed_at: datetime | None
    past_pivot: bool
    operator_actions: list[OperatorActionOut]
    web_ui_url: str | None = None


class SagaSummaryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    saga_id: str
    saga_type: str
    status: str
    started_at: datetime
    closed_at: datetime | None


class SagaPage(BaseModel):
    sagas: list[SagaSummaryOut]
    next_page_token: str | None


class ResolveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["retry", "skip"]
    reason: str = Field(min_length=1, max_length=1000)
