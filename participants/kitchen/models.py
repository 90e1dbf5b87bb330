"""Restaurants and tickets. Business rules are methods that raise domain errors."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, field_validator
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import AutoString

from http_contract.bounds import MAX_LINE_ITEMS, PriceCents, Quantity, RecordId, SagaId
from http_contract.errors import DomainError
from participant_commands.state_changes import Given, StateChange, table
from storage.columns import json_column, json_list_column, now_column
from storage.utc import utcnow


class MenuItem(BaseModel):
    id: RecordId
    name: str = Field(min_length=1, max_length=200)
    price_cents: PriceCents


def _unique_ids(items: list[MenuItem] | None) -> list[MenuItem] | None:
    ids = [item.id for item in items or []]
    if len(ids) != len(set(ids)):
        raise ValueError("menu item ids must be unique within a restaurant")
    return items


class RestaurantBase(SQLModel):
    """What a client says about a restaurant besides its menu (stored as JSON)."""

    name: str = Field(min_length=1, max_length=200)
    accepting_orders: bool = True


class RestaurantCreate(RestaurantBase):
    id: RecordId | None = None
    menu_items: list[MenuItem] = Field(default_factory=list, max_length=1000)

    _check_menu = field_validator("menu_items")(_unique_ids)


class RestaurantUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    accepting_orders: bool | None = None
    menu_items: list[MenuItem] | None = Field(default=None, max_length=1000)

    _check_menu = field_validator("menu_items")(_unique_ids)


class RestaurantPublic(RestaurantBase):
    id: str
    menu_items: list[MenuItem]
    created_at: datetime
    updated_at: datetime


class Restaurant(RestaurantBase, table=True):
    __tablename__ = "restaurant"

    id: str = Field(primary_key=True, max_length=100)
    menu_items: list[dict[str, Any]] = json_list_column()
    created_at: datetime = now_column()
    updated_at: datetime = now_column()

    @classmethod
    def open(cls, command: RestaurantCreate) -> "Restaurant":
        return cls(
            id=command.id or uuid.uuid4().hex,
            name=command.name,
            accepting_orders=command.accepting_orders,
            menu_items=[item.model_dump() for item in command.menu_items],
        )

    def revise(self, patch: RestaurantUpdate) -> None:
        """Apply the fields the client sent; a new menu replaces the old one."""
        if patch.name is not None:
            self.name = patch.name
        if patch.accepting_orders is not None:
            self.accepting_orders = patch.accepting_orders
        if patch.menu_items is not None:
            self.menu_items = [item.model_dump() for item in patch.menu_items]
        self.updated_at = utcnow()

    def take_order(self) -> None:
        if not self.accepting_orders:
            raise DomainError(
                "restaurant_not_accepting_orders", f"restaurant {self.id} is not accepting orders"
            )

    def public(self) -> RestaurantPublic:
        return RestaurantPublic.model_validate(self, from_attributes=True)


class TicketState(StrEnum):
    CREATE_PENDING = "CREATE_PENDING"
    AWAITING_ACCEPTANCE = "AWAITING_ACCEPTANCE"
    REJECTED = "REJECTED"
    CANCEL_PENDING = "CANCEL_PENDING"
    CANCELLED = "CANCELLED"
    REVISION_PENDING = "REVISION_PENDING"


class TicketLineItem(BaseModel):
    menu_item_id: RecordId
    quantity: Quantity


class TicketBase(SQLModel):
    """What a client says about a ticket besides its id and line items (stored as JSON)."""

    restaurant_id: RecordId = Field(index=True, sa_type=AutoString(100))
    saga_id: SagaId | None = Field(default=None, sa_type=AutoString(200))


class TicketCreate(TicketBase):
    order_id: RecordId
    line_items: list[TicketLineItem] = Field(min_length=1, max_length=MAX_LINE_ITEMS)


class TicketRevise(BaseModel):
    """Begin revise ticket: the order's new line items."""

    line_items: list[TicketLineItem] = Field(min_length=1, max_length=100)


class PendingTicketRevision(BaseModel):
    line_items: list[TicketLineItem]


class TicketPublic(TicketBase):
    order_id: str
    state: TicketState
    line_items: list[TicketLineItem]
    previous_state: TicketState | None
    pending_revision: PendingTicketRevision | None
    created_at: datetime
    updated_at: datetime


class Ticket(TicketBase, table=True):
    """The kitchen's side of an order; its id is the order id."""

    __tablename__ = "ticket"

    order_id: str = Field(primary_key=True, max_length=100)
    state: TicketState = Field(default=TicketState.CREATE_PENDING, max_length=30)
    line_items: list[dict[str, Any]] = json_list_column()
    previous_state: TicketState | None = Field(default=None, max_length=30)
    pending_revision: dict[str, Any] | None = json_column()
    created_at: datetime = now_column()
    updated_at: datetime = now_column()

    @classmethod
    def create(cls, command: TicketCreate, restaurant: Restaurant | None) -> "Ticket":
        if restaurant is None:
            raise DomainError(
                "unknown_restaurant", f"restaurant {command.restaurant_id!r} is unknown"
            )
        restaurant.take_order()
        return cls(
            order_id=command.order_id,
            restaurant_id=restaurant.id,
            line_items=[item.model_dump() for item in command.line_items],
            saga_id=command.saga_id,
        )

    # -- Effects of state changes besides the state itself (the table is TICKET_CHANGES).

    def remember_state(self, _: Given) -> None:
        """A cancellation locks the ticket; undoing it returns where the ticket was."""
        self.previous_state = TicketState.AWAITING_ACCEPTANCE

    def forget_state(self, _: Given) -> None:
        self.previous_state = None

    # Revise Order: the kitchen keeps the ticket's line items until the revision is confirmed.

    def hold_revision(self, given: Given) -> None:
        command: TicketRevise = given.body
        self.pending_revision = PendingTicketRevision(line_items=command.line_items).model_dump()

    def drop_revision(self, _: Given) -> None:
        self.pending_revision = None

    def apply_revision(self, _: Given) -> None:
        revision = PendingTicketRevision.model_validate(self.pending_revision)
        self.line_items = [item.model_dump() for item in revision.line_items]
        self.pending_revision = None

    def public(self) -> TicketPublic:
        return TicketPublic.model_validate(self, from_attributes=True)


S = TicketState
TICKET_CHANGES = table(
    StateChange("approve", (S.CREATE_PENDING,), S.AWAITING_ACCEPTANCE, "TicketApproved",
                "ticket_not_approvable"),
    StateChange("reject", (S.CREATE_PENDING,), S.REJECTED, "TicketRejected",
                "ticket_not_rejectable", compensates=True,
                summary="Compensation of create ticket."),
    StateChange("cancel/begin", (S.AWAITING_ACCEPTANCE,), S.CANCEL_PENDING,
                "TicketCancelRequested", "ticket_not_cancellable", then=Ticket.remember_state),
    StateChange("cancel/undo", (S.CANCEL_PENDING,), S.AWAITING_ACCEPTANCE, "TicketCancelUndone",
                "ticket_not_cancel_pending", compensates=True, then=Ticket.forget_state,
                summary="Compensation of begin cancel: back to the state before CANCEL_PENDING."),
    StateChange("cancel/confirm", (S.CANCEL_PENDING,), S.CANCELLED, "TicketCancelled",
                "ticket_not_cancel_pending"),
    StateChange("revise/begin", (S.AWAITING_ACCEPTANCE,), S.REVISION_PENDING,
                "TicketRevisionRequested", "ticket_not_revisable", then=Ticket.hold_revision,
                body=TicketRevise,
                summary="Step 2 of Revise Order: lock the ticket and hold the new line items."),
    StateChange("revise/undo", (S.REVISION_PENDING,), S.AWAITING_ACCEPTANCE,
                "TicketRevisionUndone", "ticket_not_revision_pending", compensates=True,
                then=Ticket.drop_revision,
                summary="Compensation of begin revise ticket: the ticket keeps its line items."),
    StateChange("revise/confirm", (S.REVISION_PENDING,), S.AWAITING_ACCEPTANCE, "TicketRevised",
                "ticket_not_revision_pending", then=Ticket.apply_revision),
)  # fmt: skip
