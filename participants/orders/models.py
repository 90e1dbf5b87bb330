"""Orders and the restaurant replica. Business rules are methods that raise domain errors."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, StrictInt
from sqlalchemy import JSON, BigInteger, Column
from sqlmodel import Field, SQLModel

from http_contract.bounds import MAX_LINE_ITEMS, RecordId, SagaId
from http_contract.errors import Conflict, DomainError
from storage.engines import UtcDateTime
from storage.utc import utcnow


class OrderState(StrEnum):
    APPROVAL_PENDING = "APPROVAL_PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    CANCEL_PENDING = "CANCEL_PENDING"
    CANCELLED = "CANCELLED"
    REVISION_PENDING = "REVISION_PENDING"


class LineItemIn(BaseModel):
    menu_item_id: RecordId
    # Strict (no floats or booleans); the range is a business rule of the orders service.
    quantity: StrictInt


class LineItem(BaseModel):
    menu_item_id: str
    name: str
    quantity: int
    price_cents: int


class OrderCreate(BaseModel):
    order_id: RecordId
    consumer_id: RecordId
    restaurant_id: RecordId
    line_items: list[LineItemIn] = Field(max_length=MAX_LINE_ITEMS)
    saga_id: SagaId | None = None


class OrderRevise(BaseModel):
    """Begin revise: the new line items; the orders service prices them."""

    line_items: list[LineItemIn] = Field(max_length=100)


class PendingRevision(BaseModel):
    line_items: list[LineItem]
    total_cents: int


class OrderPublic(BaseModel):
    order_id: str
    consumer_id: str
    restaurant_id: str
    restaurant_name: str
    state: OrderState
    total_cents: int
    line_items: list[LineItem]
    saga_id: str | None
    revision: int
    pending_revision: PendingRevision | None
    created_at: datetime
    updated_at: datetime


class ReplicaRestaurant(SQLModel, table=True):
    """Orders' own copy of a kitchen restaurant, fed by kitchen's event feed."""

    __tablename__ = "replica_restaurant"

    id: str = Field(primary_key=True, max_length=100)
    name: str
    accepting_orders: bool = True
    menu_items: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))

    def price(self, items: list[LineItemIn]) -> list[LineItem]:
        """Price the order from this replica's menu; the client never sends prices."""
        if not items:
            raise DomainError("invalid_quantity", "an order needs at least one line item")
        menu = {item["id"]: item for item in self.menu_items}
        priced = []
        for item in items:
            if item.menu_item_id not in menu:
                raise DomainError(
                    "unknown_menu_item", f"menu item {item.menu_item_id!r} is unknown"
                )
            if not 1 <= item.quantity <= 1000:
                raise DomainError("invalid_quantity", f"quantity {item.quantity} is not 1..1000")
            entry = menu[item.menu_item_id]
            priced.append(
                LineItem(
                    menu_item_id=entry["id"],
                    name=entry["name"],
                    quantity=item.quantity,
                    price_cents=entry["price_cents"],
                )
            )
        return priced


class Order(SQLModel, table=True):
    __tablename__ = "orders"

    id: str = Field(primary_key=True, max_length=100)
    consumer_id: str = Field(index=True, max_length=100)
    restaurant_id: str = Field(max_length=100)
    restaurant_name: str = ""
    state: OrderState = Field(default=OrderState.APPROVAL_PENDING, max_length=30)
    total_cents: int = Field(default=0, sa_type=BigInteger)
    line_items: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    saga_id: str | None = Field(default=None, max_length=200)
    revision: int = 0  # confirmed revisions
    pending_revision: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)

    @classmethod
    def place(cls, command: OrderCreate, restaurant: ReplicaRestaurant | None) -> "Order":
        if restaurant is None:
            raise DomainError(
                "unknown_restaurant", f"restaurant {command.restaurant_id!r} is unknown"
            )
        items = restaurant.price(command.line_items)
        return cls(
            id=command.order_id,
            consumer_id=command.consumer_id,
            restaurant_id=restaurant.id,
            restaurant_name=restaurant.name,
            total_cents=sum(item.price_cents * item.quantity for item in items),
            line_items=[item.model_dump() for item in items],
            saga_id=command.saga_id,
        )

    def approve(self) -> None:
        self._move({OrderState.APPROVAL_PENDING}, OrderState.APPROVED, "order_not_approvable")

    def reject(self) -> None:
        self._move({OrderState.APPROVAL_PENDING}, OrderState.REJECTED, "order_not_rejectable")

    def begin_cancel(self) -> None:
        self._move({OrderState.APPROVED}, OrderState.CANCEL_PENDING, "order_not_cancellable")

    def undo_cancel(self) -> None:
        self._move({OrderState.CANCEL_PENDING}, OrderState.APPROVED, "order_not_cancel_pending")

    def confirm_cancel(self) -> None:
        self._move({OrderState.CANCEL_PENDING}, OrderState.CANCELLED, "order_not_cancel_pending")

    # -- Revise Order: the order keeps its line items and total until the revision is confirmed.

    def begin_revise(self, restaurant: ReplicaRestaurant | None, items: list[LineItemIn]) -> None:
        if self.state != OrderState.APPROVED:
            raise Conflict("order_not_revisable", f"order {self.id} is {self.state}")
        if restaurant is None:
            raise DomainError("unknown_restaurant", f"restaurant {self.restaurant_id!r} is unknown")
        priced = restaurant.price(items)
        total = sum(item.price_cents * item.quantity for item in priced)
        self._move({OrderState.APPROVED}, OrderState.REVISION_PENDING, "order_not_revisable")
        self.pending_revision = PendingRevision(line_items=priced, total_cents=total).model_dump()

    def undo_revise(self) -> None:
        self._move({OrderState.REVISION_PENDING}, OrderState.APPROVED, "order_not_revision_pending")
        self.pending_revision = None

    def confirm_revise(self) -> None:
        self._move({OrderState.REVISION_PENDING}, OrderState.APPROVED, "order_not_revision_pending")
        revision = self._pending()
        assert revision is not None, "REVISION_PENDING always holds its revision"
        self.line_items = [item.model_dump() for item in revision.line_items]
        self.total_cents = revision.total_cents
        self.revision += 1
        self.pending_revision = None

    def _pending(self) -> PendingRevision | None:
        if self.pending_revision is None:
            return None
        return PendingRevision.model_validate(self.pending_revision)

    def _move(self, sources: set[OrderState], target: OrderState, code: str) -> None:
        if self.state not in sources:
            raise Conflict(code, f"order {self.id} is {self.state}, cannot become {target}")
        self.state = target
        self.updated_at = utcnow()

    def public(self) -> OrderPublic:
        return OrderPublic(
            order_id=self.id,
            consumer_id=self.consumer_id,
            restaurant_id=self.restaurant_id,
            restaurant_name=self.restaurant_name,
            state=self.state,
            total_cents=self.total_cents,
            line_items=[LineItem.model_validate(item) for item in self.line_items],
            saga_id=self.saga_id,
            revision=self.revision,
            pending_revision=self._pending(),
            created_at=self.created_at,
            updated_at=self.updated_at,
        )
