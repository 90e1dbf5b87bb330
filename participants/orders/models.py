"""Orders and the restaurant replica. Business rules are methods that raise domain errors."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, StrictInt
from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import AutoString

from http_contract.bounds import MAX_LINE_ITEMS, RecordId, SagaId
from http_contract.errors import DomainError
from http_contract.order_states import OrderState
from participant_commands.state_changes import Given, StateChange, table
from storage.columns import json_column, json_list_column, now_column


class LineItemIn(BaseModel):
    menu_item_id: RecordId
    # Strict (no floats or booleans); the range is a business rule of the orders service.
    quantity: StrictInt


class LineItem(BaseModel):
    menu_item_id: str
    name: str
    quantity: int
    price_cents: int


class OrderBase(SQLModel):
    """What a client says about an order besides its id and line items (stored as JSON)."""

    consumer_id: RecordId = Field(index=True, sa_type=AutoString(100))
    restaurant_id: RecordId = Field(sa_type=AutoString(100))
    saga_id: SagaId | None = Field(default=None, sa_type=AutoString(200))


class OrderCreate(OrderBase):
    order_id: RecordId
    line_items: list[LineItemIn] = Field(max_length=MAX_LINE_ITEMS)


class OrderRevise(BaseModel):
    """Begin revise: the new line items; the orders service prices them."""

    line_items: list[LineItemIn] = Field(max_length=100)


class PendingRevision(BaseModel):
    line_items: list[LineItem]
    total_cents: int


class OrderPublic(OrderBase):
    order_id: str
    restaurant_name: str
    state: OrderState
    total_cents: int
    line_items: list[LineItem]
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
    menu_items: list[dict[str, Any]] = json_list_column()

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


class Order(OrderBase, table=True):
    __tablename__ = "orders"

    id: str = Field(primary_key=True, max_length=100)
    restaurant_name: str = ""
    state: OrderState = Field(default=OrderState.APPROVAL_PENDING, max_length=30)
    total_cents: int = Field(default=0, sa_type=BigInteger)
    line_items: list[dict[str, Any]] = json_list_column()
    revision: int = 0  # confirmed revisions
    pending_revision: dict[str, Any] | None = json_column()
    created_at: datetime = now_column()
    updated_at: datetime = now_column()

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

    # -- Revise Order: the order keeps its line items and total until the revision is confirmed.

    def hold_revision(self, restaurant: ReplicaRestaurant | None, items: list[LineItemIn]) -> None:
        """Price the new line items from the replica and hold them as the pending revision."""
        if restaurant is None:
            raise DomainError("unknown_restaurant", f"restaurant {self.restaurant_id!r} is unknown")
        priced = restaurant.price(items)
        total = sum(item.price_cents * item.quantity for item in priced)
        self.pending_revision = PendingRevision(line_items=priced, total_cents=total).model_dump()

    def drop_revision(self, _: Given) -> None:
        self.pending_revision = None

    def apply_revision(self, _: Given) -> None:
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


def hold_priced_revision(order: Order, given: Given) -> None:
    """Begin revise: the new line items priced from the order's restaurant in the replica."""
    assert given.session is not None
    command: OrderRevise = given.body
    order.hold_revision(
        given.session.get(ReplicaRestaurant, order.restaurant_id), command.line_items
    )


S = OrderState
ORDER_CHANGES = table(
    StateChange("approve", (S.APPROVAL_PENDING,), S.APPROVED, "OrderApproved",
                "order_not_approvable"),
    StateChange("reject", (S.APPROVAL_PENDING,), S.REJECTED, "OrderRejected",
                "order_not_rejectable", compensates=True, summary="Compensation of create order."),
    StateChange("cancel/begin", (S.APPROVED,), S.CANCEL_PENDING, "OrderCancelRequested",
                "order_not_cancellable"),
    StateChange("cancel/undo", (S.CANCEL_PENDING,), S.APPROVED, "OrderCancelUndone",
                "order_not_cancel_pending", compensates=True,
                summary="Compensation of begin cancel."),
    StateChange("cancel/confirm", (S.CANCEL_PENDING,), S.CANCELLED, "OrderCancelled",
                "order_not_cancel_pending"),
    StateChange("revise/begin", (S.APPROVED,), S.REVISION_PENDING, "OrderRevisionRequested",
                "order_not_revisable", then=hold_priced_revision, body=OrderRevise,
                summary="Step 1 of Revise Order: price the new line items and hold them as the "
                "pending revision."),
    StateChange("revise/undo", (S.REVISION_PENDING,), S.APPROVED, "OrderRevisionUndone",
                "order_not_revision_pending", compensates=True, then=Order.drop_revision,
                summary="Compensation of begin revise: the order stays as it was, the pending "
                "revision is dropped."),
    StateChange("revise/confirm", (S.REVISION_PENDING,), S.APPROVED, "OrderRevised",
                "order_not_revision_pending", then=Order.apply_revision),
)  # fmt: skip
