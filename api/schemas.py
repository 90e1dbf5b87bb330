"""Request and response bodies of the public API (DESIGN.md §5)."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

ID_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,99}$"
Id = Field(min_length=1, max_length=100, pattern=ID_PATTERN)
# Ids in paths are checked too: they are forwarded into internal URLs.
PathId = Annotated[str, Path(pattern=ID_PATTERN)]
SagaId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.:-]{1,200}$")]


class LineItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    menu_item_id: str = Field(min_length=1, max_length=100)
    quantity: int = Field(ge=-(2**31), le=2**31)


class OrderRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    consumer_id: str = Id
    restaurant_id: str = Id
    line_items: list[LineItemIn] = Field(max_length=100)


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
