"""The audit's rules and its merge join, on records built in memory."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from audit.merge import OutOfOrder, join_by_order
from audit.records import Account, Authorization, Order, OrderRecords, Ticket, ViewOrder
from audit.rules import ORDER_RULES, Clock, account_balanced

NOW = datetime(2026, 1, 1, tzinfo=UTC)
CLOCK = Clock(NOW, timedelta(seconds=60))


def order(state: str, total: int = 1600, age: float = 0) -> Order:
    updated = NOW - timedelta(seconds=age)
    return Order(
        order_id="o1", consumer_id="c1", state=state, total_cents=total, updated_at=updated
    )


def ticket(state: str, age: float = 0) -> Ticket:
    return Ticket(order_id="o1", state=state, updated_at=NOW - timedelta(seconds=age))


def auth(state: str, amount: int = 1600) -> Authorization:
    return Authorization(order_id="o1", consumer_id="c1", amount_cents=amount, state=state)


def view(state: str, total: int) -> ViewOrder:
    """The view's row of an order it knows no ticket nor authorization of."""
    return ViewOrder(
        order_id="o1", state=state, total_cents=total, ticket_state=None, authorization_state=None
    )


def view_of(records: OrderRecords) -> ViewOrder:
    assert records.order is not None
    return ViewOrder(
        order_id="o1",
        state=records.order.state,
        total_cents=records.order.total_cents,
        ticket_state=records.ticket and records.ticket.state,
        authorization_state=records.authorization and records.authorization.state,
    )


def broken(**found: Any) -> set[str]:
    records = OrderRecords("o1", **found)
    if records.order is not None and "view" not in found:
        records = OrderRecords("o1", **found, view=view_of(records))
    return {rule.name for rule in ORDER_RULES if rule.check(records, CLOCK)}


@pytest.mark.parametrize(
    "found",
    [
        {
            "order": order("APPROVED"),
            "ticket": ticket("AWAITING_ACCEPTANCE"),
            "authorization": auth("AUTHORIZED"),
        },
        {"order": order("REJECTED")},
        {
            "order": order("REJECTED"),
            "ticket": ticket("REJECTED"),
            "authorization": auth("DECLINED"),
        },
        {
            "order": order("CANCELLED"),
            "ticket": ticket("CANCELLED"),
            "authorization": auth("REVERSED"),
        },
        {"order": order("APPROVAL_PENDING", age=59), "ticket": ticket("CREATE_PENDING", age=59)},
        {},
    ],
)
def test_consistent_outcomes_break_no_rule(found: dict[str, Any]) -> None:
    assert broken(**found) == set()


@pytest.mark.parametrize(
    ("found", "rules"),
    [
        (
            {"order": order("APPROVED")},
            {"approved_order_has_ticket", "approved_order_is_authorized"},
        ),
        (
            {
                "order": order("APPROVED"),
                "ticket": ticket("AWAITING_ACCEPTANCE"),
                "authorization": auth("AUTHORIZED", 100),
            },
            {"approved_order_is_authorized"},
        ),
        (
            {
                "order": order("REJECTED"),
                "ticket": ticket("CREATE_PENDING"),
                "authorization": auth("AUTHORIZED"),
            },
            {"rejected_order_has_no_ticket", "rejected_order_is_not_charged"},
        ),
        (
            {
                "order": order("CANCELLED"),
                "ticket": ticket("AWAITING_ACCEPTANCE"),
                "authorization": auth("AUTHORIZED"),
            },
            {"cancelled_order_ticket_cancelled", "cancelled_order_is_refunded"},
        ),
        ({"order": order("APPROVAL_PENDING", age=61)}, {"no_stale_semantic_lock"}),
        ({"authorization": auth("AUTHORIZED")}, {"no_orphan_record"}),
        ({"ticket": ticket("CREATE_PENDING")}, {"no_orphan_record"}),
        (
            {
                "order": order("REJECTED"),
                "view": view("APPROVAL_PENDING", 1600),
            },
            {"view_matches_participants"},
        ),
        (
            {"view": view("APPROVED", 1)},
            {"view_matches_participants"},
        ),
    ],
)
def test_each_inconsistency_breaks_its_rule(found: dict[str, Any], rules: set[str]) -> None:
    assert broken(**found) == rules


def test_an_account_must_have_lent_what_is_authorized() -> None:
    account = Account(consumer_id="c1", credit_limit_cents=5000, available_cents=3400)
    assert account_balanced("c1", account, 1600) is None
    assert "1600" in (account_balanced("c1", account, 0) or "")
    assert "without an account" in (account_balanced("c2", None, 100) or "")


async def stream(*ids: str) -> AsyncIterator[Ticket]:
    for order_id in ids:
        yield Ticket(order_id=order_id, state="REJECTED", updated_at=NOW)


async def test_the_join_groups_every_order_id_once_in_order() -> None:
    joined = [
        (order_id, sorted(found))
        async for order_id, found in join_by_order({"a": stream("1", "3"), "b": stream("2", "3")})
    ]
    assert joined == [("1", ["a"]), ("2", ["b"]), ("3", ["a", "b"])]


async def test_the_join_refuses_an_unsorted_list() -> None:
    with pytest.raises(OutOfOrder):
        async for _ in join_by_order({"a": stream("2", "1")}):
            pass
