"""Participants' business rules and state machines, without a database or HTTP."""

from collections.abc import Callable
from enum import StrEnum
from functools import partial
from typing import Any

import pytest
from pydantic import ValidationError

from http_contract.errors import DomainError
from http_contract.order_states import OrderState
from participants.accounting.models import (
    AUTHORIZATION_CHANGES,
    Account,
    AccountCreate,
    Authorization,
    AuthorizationRequest,
    AuthorizationState,
    card_declined,
    debit,
)
from participants.consumers.models import Consumer, ConsumerCreate, ConsumerStatus, verified
from participants.kitchen.models import (
    TICKET_CHANGES,
    Restaurant,
    RestaurantCreate,
    RestaurantUpdate,
    Ticket,
    TicketCreate,
    TicketState,
)
from participants.orders.models import (
    ORDER_CHANGES,
    LineItemIn,
    Order,
    OrderCreate,
    ReplicaRestaurant,
)
from tests.support.participants import MENU


def raises(code: str, status: int, action: Callable[[], object]) -> None:
    with pytest.raises(DomainError) as caught:
        action()
    assert (caught.value.code, caught.value.status) == (code, status)


# --- orders: pricing from the replica -------------------------------------------------------


def replica() -> ReplicaRestaurant:
    return ReplicaRestaurant(id="ajanta", name="Ajanta", menu_items=MENU)


def order_command(*lines: tuple[str, int], restaurant_id: str = "ajanta") -> OrderCreate:
    return OrderCreate(
        order_id="o-1",
        consumer_id="ann",
        restaurant_id=restaurant_id,
        line_items=[LineItemIn(menu_item_id=item, quantity=qty) for item, qty in lines],
    )


def test_an_order_is_priced_from_the_replica_menu() -> None:
    order = Order.place(order_command(("curry", 2), ("naan", 3)), replica())

    assert (order.state, order.total_cents, order.restaurant_name) == (
        OrderState.APPROVAL_PENDING,
        2 * 1250 + 3 * 350,
        "Ajanta",
    )
    assert [item["price_cents"] for item in order.line_items] == [1250, 350]


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ((("sushi", 1),), "unknown_menu_item"),
        ((("naan", 0),), "invalid_quantity"),
        ((("naan", 1001),), "invalid_quantity"),
        ((), "invalid_quantity"),
    ],
)
def test_an_order_the_menu_cannot_price_is_refused(
    lines: tuple[tuple[str, int], ...], code: str
) -> None:
    raises(code, 422, lambda: Order.place(order_command(*lines), replica()))


def test_an_order_for_an_unknown_restaurant_is_refused() -> None:
    raises("unknown_restaurant", 422, lambda: Order.place(order_command(("naan", 1)), None))


# --- consumers ------------------------------------------------------------------------------


def test_a_consumer_gets_a_generated_id_unless_given() -> None:
    generated = Consumer.register(ConsumerCreate(name="Ann"))
    given = Consumer.register(ConsumerCreate(id="bob", name="Bob"))

    assert len(generated.id) == 32 and generated.status == ConsumerStatus.ACTIVE
    assert given.id == "bob"


def test_only_an_active_consumer_is_verified() -> None:
    ann = Consumer.register(ConsumerCreate(name="Ann"))

    assert verified(ann, ann.id) is ann
    assert ann.change_status(ConsumerStatus.SUSPENDED) is True
    assert ann.change_status(ConsumerStatus.SUSPENDED) is False
    raises("consumer_suspended", 422, lambda: verified(ann, ann.id))
    raises("consumer_not_found", 422, lambda: verified(None, "nobody"))


# --- kitchen: restaurants -------------------------------------------------------------------


def restaurant(accepting: bool = True) -> Restaurant:
    command = RestaurantCreate.model_validate(
        {"name": "Ajanta", "accepting_orders": accepting, "menu_items": MENU}
    )
    return Restaurant.open(command)


def test_a_restaurant_revision_changes_only_what_it_names() -> None:
    ajanta = restaurant()

    ajanta.revise(RestaurantUpdate(accepting_orders=False))

    assert (ajanta.name, ajanta.accepting_orders, ajanta.menu_items) == ("Ajanta", False, MENU)
    ajanta.revise(RestaurantUpdate(menu_items=[]))
    assert ajanta.menu_items == []


def test_menu_item_ids_are_unique_within_a_restaurant() -> None:
    with pytest.raises(ValidationError):
        RestaurantCreate.model_validate({"name": "Ajanta", "menu_items": [MENU[0], MENU[0]]})
    with pytest.raises(ValidationError):
        RestaurantUpdate(menu_items=[MENU[1], MENU[1]])


# --- kitchen: tickets -----------------------------------------------------------------------


def ticket_command() -> TicketCreate:
    return TicketCreate.model_validate(
        {
            "order_id": "o-1",
            "restaurant_id": "ajanta",
            "line_items": [{"menu_item_id": "naan", "quantity": 1}],
        }
    )


def test_a_ticket_needs_a_known_restaurant_accepting_orders() -> None:
    ticket = Ticket.create(ticket_command(), restaurant())

    assert (ticket.order_id, ticket.state) == ("o-1", TicketState.CREATE_PENDING)
    raises("unknown_restaurant", 422, lambda: Ticket.create(ticket_command(), None))
    raises(
        "restaurant_not_accepting_orders",
        422,
        lambda: Ticket.create(ticket_command(), restaurant(accepting=False)),
    )


def change(ticket: Ticket, path: str) -> None:
    TICKET_CHANGES[path].apply(ticket, f"ticket {ticket.order_id}")


# --- the state machines of orders and tickets ------------------------------------------------

OS, TS = OrderState, TicketState
STATE_MOVES: list[tuple[str, str, StrEnum, StrEnum | None, str]] = [
    ("order", "approve", OS.APPROVAL_PENDING, OS.APPROVED, ""),
    ("order", "reject", OS.APPROVAL_PENDING, OS.REJECTED, ""),
    ("order", "cancel/begin", OS.APPROVED, OS.CANCEL_PENDING, ""),
    ("order", "cancel/undo", OS.CANCEL_PENDING, OS.APPROVED, ""),
    ("order", "cancel/confirm", OS.CANCEL_PENDING, OS.CANCELLED, ""),
    ("order", "approve", OS.APPROVED, None, "order_not_approvable"),
    ("order", "reject", OS.APPROVED, None, "order_not_rejectable"),
    ("order", "cancel/begin", OS.APPROVAL_PENDING, None, "order_not_cancellable"),
    ("order", "cancel/begin", OS.CANCELLED, None, "order_not_cancellable"),
    ("order", "cancel/undo", OS.APPROVED, None, "order_not_cancel_pending"),
    ("order", "cancel/confirm", OS.REJECTED, None, "order_not_cancel_pending"),
    ("ticket", "approve", TS.CREATE_PENDING, TS.AWAITING_ACCEPTANCE, ""),
    ("ticket", "reject", TS.CREATE_PENDING, TS.REJECTED, ""),
    ("ticket", "cancel/begin", TS.AWAITING_ACCEPTANCE, TS.CANCEL_PENDING, ""),
    ("ticket", "cancel/confirm", TS.CANCEL_PENDING, TS.CANCELLED, ""),
    ("ticket", "approve", TS.AWAITING_ACCEPTANCE, None, "ticket_not_approvable"),
    ("ticket", "reject", TS.AWAITING_ACCEPTANCE, None, "ticket_not_rejectable"),
    ("ticket", "cancel/begin", TS.CREATE_PENDING, None, "ticket_not_cancellable"),
    ("ticket", "cancel/begin", TS.CANCEL_PENDING, None, "ticket_not_cancellable"),
    ("ticket", "cancel/undo", TS.AWAITING_ACCEPTANCE, None, "ticket_not_cancel_pending"),
    ("ticket", "cancel/confirm", TS.REJECTED, None, "ticket_not_cancel_pending"),
]


def new_record(kind: str) -> Any:
    if kind == "order":
        return Order.place(order_command(("naan", 1)), replica())
    return Ticket.create(ticket_command(), restaurant())


@pytest.mark.parametrize(("kind", "path", "start", "end", "code"), STATE_MOVES)
def test_state_machine(
    kind: str, path: str, start: StrEnum, end: StrEnum | None, code: str
) -> None:
    record = new_record(kind)
    changes = ORDER_CHANGES if kind == "order" else TICKET_CHANGES
    record.state = start

    if end is None:
        raises(code, 409, lambda: changes[path].apply(record, kind))
        assert record.state == start
    else:
        changes[path].apply(record, kind)
        assert record.state == end


def test_undoing_a_cancel_returns_the_ticket_to_where_it_was() -> None:
    ticket = Ticket.create(ticket_command(), restaurant())
    change(ticket, "approve")

    change(ticket, "cancel/begin")
    assert (ticket.state, ticket.previous_state) == (
        TicketState.CANCEL_PENDING,
        TicketState.AWAITING_ACCEPTANCE,
    )
    change(ticket, "cancel/undo")
    assert (ticket.state, ticket.previous_state) == (TicketState.AWAITING_ACCEPTANCE, None)


# --- accounting -----------------------------------------------------------------------------


def authorization(state: AuthorizationState) -> Authorization:
    request = AuthorizationRequest(order_id="o-1", consumer_id="ann", amount_cents=500)
    return Authorization.record(request, state)


def test_an_account_opens_with_its_whole_limit_available() -> None:
    account = Account.open(AccountCreate(consumer_id="ann", credit_limit_cents=5000))

    assert (account.credit_limit_cents, account.available_cents) == (5000, 5000)


def test_a_debit_only_takes_credit_that_is_there() -> None:
    statement = str(debit("ann", 500).compile(compile_kwargs={"literal_binds": True}))

    assert "available_cents - 500" in statement
    assert "available_cents >= 500" in statement


def test_a_declined_card_is_a_business_rejection() -> None:
    request = AuthorizationRequest(order_id="o-1", consumer_id="ann", amount_cents=500)

    declined = card_declined(request)

    assert (declined.code, declined.status) == ("card_declined", 422)


def test_only_an_authorized_authorization_is_reversed() -> None:
    authorized = authorization(AuthorizationState.AUTHORIZED)
    reverse = AUTHORIZATION_CHANGES["reverse"]

    reverse.move(authorized, "authorization o-1")

    assert authorized.state == AuthorizationState.REVERSED
    for state in (AuthorizationState.DECLINED, AuthorizationState.REVERSED):
        refused = authorization(state)
        raises("authorization_not_reversible", 409, partial(reverse.move, refused, "authorization"))
        assert refused.state == state
