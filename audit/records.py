"""What the audit reads of each record (the rest of the public record is ignored)."""

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict


class Record(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Order(Record):
    order_id: str
    consumer_id: str
    state: str
    total_cents: int
    updated_at: datetime


class Ticket(Record):
    order_id: str
    state: str
    updated_at: datetime


class Authorization(Record):
    order_id: str
    consumer_id: str
    amount_cents: int
    state: str


class Account(Record):
    consumer_id: str
    credit_limit_cents: int
    available_cents: int


class ViewOrder(Record):
    order_id: str
    state: str
    total_cents: int
    ticket_state: str | None
    authorization_state: str | None


@dataclass(frozen=True)
class OrderRecords:
    """Everything the services hold about one order id; None where a service has nothing."""

    order_id: str
    order: Order | None = None
    ticket: Ticket | None = None
    authorization: Authorization | None = None
    view: ViewOrder | None = None


@dataclass(frozen=True)
class Violation:
    rule: str
    order_id: str | None
    detail: str
