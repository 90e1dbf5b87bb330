"""The order history's event handlers: feeds commute, replays change nothing, partial rows wait."""

import itertools
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from event_feed.subscriber import Event
from views.order_history.feeds import HANDLERS
from views.order_history.models import KnownRestaurant, OrderHistory, is_complete
from views.order_history.projector import apply_order

START = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
Feeds = dict[str, list[Event]]


def at(second: int) -> str:
    return (START + timedelta(seconds=second)).isoformat()


def event(seq: int, event_type: str, payload: dict[str, Any], second: int) -> Event:
    return {
        "seq": seq,
        "event_type": event_type,
        "aggregate_type": "test",
        "aggregate_id": payload.get("order_id") or payload["id"],
        "payload": payload,
        "created_at": at(second),
    }


def order(order_id: str, restaurant_id: str, state: str, second: int) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "consumer_id": "consumer-1",
        "restaurant_id": restaurant_id,
        "restaurant_name": "Ajanta",
        "state": state,
        "total_cents": 2400,
        "line_items": [{"menu_item_id": "m1", "name": "Dal", "quantity": 2, "price_cents": 1200}],
        "saga_id": f"create-order-{order_id}",
        "created_at": at(0),
        "updated_at": at(second),
    }


def ticket(order_id: str, restaurant_id: str, state: str) -> dict[str, Any]:
    return {"order_id": order_id, "restaurant_id": restaurant_id, "state": state}


def restaurant(restaurant_id: str, name: str) -> dict[str, Any]:
    return {"id": restaurant_id, "name": name, "accepting_orders": True, "menu_items": []}


def story(order_id: str, restaurant_id: str) -> Feeds:
    """An order approved while its restaurant is renamed."""
    o, r = order_id, restaurant_id
    return {
        "orders": [
            event(1, "OrderCreated", order(o, r, "APPROVAL_PENDING", 1), 1),
            event(2, "OrderApproved", order(o, r, "APPROVED", 6), 6),
        ],
        "kitchen": [
            event(1, "RestaurantCreated", restaurant(r, "Ajanta"), 0),
            event(2, "TicketCreated", ticket(o, r, "CREATE_PENDING"), 2),
            event(3, "TicketApproved", ticket(o, r, "AWAITING_ACCEPTANCE"), 5),
            event(4, "RestaurantUpdated", restaurant(r, "Ajanta Palace"), 7),
        ],
        "accounting": [
            event(1, "CardAuthorized", {"order_id": o, "state": "AUTHORIZED"}, 4),
        ],
    }


def interleavings(feeds: Feeds) -> Iterator[list[tuple[str, Event]]]:
    """Every merge of the feeds that keeps each feed in its own order."""
    slots = [source for source, events in feeds.items() for _ in events]
    for order_of_sources in sorted(set(itertools.permutations(slots))):
        cursors = {source: iter(events) for source, events in feeds.items()}
        yield [(source, next(cursors[source])) for source in order_of_sources]


def apply(engine: Engine, source: str, event: Event) -> None:
    """One event in its own transaction, as a subscriber applies it."""
    with Session(engine) as session:
        HANDLERS[source](session, event)
        session.commit()


def apply_all(engine: Engine, steps: list[tuple[str, Event]]) -> None:
    for source, step in steps:
        apply(engine, source, step)


def in_order(feeds: Feeds) -> list[tuple[str, Event]]:
    return [(source, step) for source, events in feeds.items() for step in events]


def row(engine: Engine, order_id: str) -> dict[str, Any]:
    with Session(engine) as session:
        found = session.get(OrderHistory, order_id)
        assert found is not None
        return found.model_dump(exclude={"order_id", "restaurant_id"})


def test_every_interleaving_of_the_feeds_gives_the_same_row(engine: Engine) -> None:
    rows = []
    for number, steps in enumerate(interleavings(story("o", "r"))):
        # each interleaving gets its own order and restaurant, so one database serves all
        apply_all(engine, [(s, _renamed(e, number)) for s, e in steps])
        rows.append(row(engine, f"o-{number}"))
    assert len(rows) == 105
    assert all(each == rows[0] for each in rows)
    assert rows[0]["restaurant_name"] == "Ajanta Palace"
    assert (rows[0]["order_state"], rows[0]["ticket_state"], rows[0]["authorization_state"]) == (
        "APPROVED",
        "AWAITING_ACCEPTANCE",
        "AUTHORIZED",
    )


def test_the_row_carries_the_whole_order(engine: Engine) -> None:
    apply_all(engine, in_order(story("o1", "r1")))
    projected = row(engine, "o1")
    assert projected["consumer_id"] == "consumer-1"
    assert projected["total_cents"] == 2400
    assert projected["line_items"][0]["menu_item_id"] == "m1"
    assert projected["saga_id"] == "create-order-o1"
    assert projected["created_at"].replace(tzinfo=UTC) == START
    assert projected["updated_at"].replace(tzinfo=UTC) == START + timedelta(seconds=6)


def test_replaying_any_event_changes_nothing(engine: Engine) -> None:
    steps = in_order(story("o1", "r1"))
    apply_all(engine, steps)
    before = (row(engine, "o1"), restaurants(engine))
    apply_all(engine, random.Random(7).sample(steps, len(steps)))
    assert (row(engine, "o1"), restaurants(engine)) == before


def test_an_older_event_does_not_undo_a_newer_one() -> None:
    feed = story("o1", "r1")["orders"]
    projected = OrderHistory(order_id="o1")
    for step in (feed[1], feed[0]):
        apply_order(projected, step)
    assert (projected.order_state, projected.order_seq) == ("APPROVED", 2)


def test_a_ticket_before_its_order_waits_in_a_partial_row(engine: Engine) -> None:
    feeds = story("o1", "r1")
    apply(engine, "kitchen", feeds["kitchen"][1])
    apply(engine, "accounting", feeds["accounting"][0])
    with Session(engine) as session:
        partial = session.get(OrderHistory, "o1")
        assert partial is not None and not is_complete(partial)
        assert partial.consumer_id is None  # so no consumer's list shows it
    apply(engine, "orders", feeds["orders"][0])
    completed = row(engine, "o1")
    assert completed["consumer_id"] == "consumer-1"
    assert completed["ticket_state"] == "CREATE_PENDING"


def test_an_order_placed_under_an_old_name_shows_the_current_name(engine: Engine) -> None:
    feeds = story("o1", "r1")
    apply(engine, "kitchen", feeds["kitchen"][3])
    apply(engine, "orders", feeds["orders"][0])  # its payload still says "Ajanta"
    assert row(engine, "o1")["restaurant_name"] == "Ajanta Palace"


def test_one_batch_may_create_and_change_the_same_row(engine: Engine) -> None:
    with Session(engine) as session:
        for step in story("o1", "r1")["orders"]:
            HANDLERS["orders"](session, step)
        session.commit()
    assert (row(engine, "o1")["order_state"], row(engine, "o1")["order_seq"]) == (
        "APPROVED",
        2,
    )


def test_events_the_view_does_not_need_are_ignored(engine: Engine) -> None:
    apply(engine, "accounting", event(1, "AccountOpened", {"id": "a", "consumer_id": "c"}, 0))
    apply(engine, "orders", event(1, "SomethingNew", {"order_id": "o9"}, 0))
    with Session(engine) as session:
        assert list(session.exec(select(OrderHistory))) == []


def restaurants(engine: Engine) -> list[dict[str, Any]]:
    with Session(engine) as session:
        return [known.model_dump() for known in session.exec(select(KnownRestaurant))]


def _renamed(step: Event, number: int) -> Event:
    """The same event about order `o-<number>` and restaurant `r-<number>`."""
    payload = dict(step["payload"])
    for key, prefix in (("order_id", "o"), ("restaurant_id", "r"), ("id", "r")):
        if key in payload:
            payload[key] = f"{prefix}-{number}"
    return {**step, "payload": payload}
