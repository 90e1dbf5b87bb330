"""What each saga activity takes: typed inputs, built from the step's declared data flow.

An activity names the values it needs here and nothing else; which saga input field or which
earlier step they come from is the saga definition's business (workflows/dataflow.py).
"""

from dataclasses import dataclass
from typing import Any

LineItems = list[dict[str, Any]]


@dataclass(frozen=True)
class OrderRef:
    """Most steps and every compensation need only the order."""

    order_id: str


@dataclass(frozen=True)
class NewOrder:
    order_id: str
    consumer_id: str
    restaurant_id: str
    line_items: LineItems


@dataclass(frozen=True)
class NewTicket:
    order_id: str
    restaurant_id: str
    line_items: LineItems


@dataclass(frozen=True)
class Revision:
    order_id: str
    line_items: LineItems


@dataclass(frozen=True)
class Verification:
    order_id: str
    consumer_id: str
    total_cents: int


@dataclass(frozen=True)
class Authorization:
    order_id: str
    consumer_id: str
    amount_cents: int


@dataclass(frozen=True)
class NewAmount:
    order_id: str
    amount_cents: int
