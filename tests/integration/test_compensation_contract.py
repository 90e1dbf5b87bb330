"""What every compensable step of every participant promises the saga engine, written once.

A compensation may arrive before its action (the action timed out, or is still on its way), more
than once, or for an action that was refused. Whatever the order, the participant ends as if the
step never happened: a compensation with nothing to undo answers `200 {"compensated": false}`,
the late action is refused with `409 already_compensated`, and a repeated key replays its answer.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import pytest

from tests.conftest import DatabaseFactory
from tests.support.participants import Json, answer, assert_error, events, keyed, send_twice

NEW_ITEMS = [{"menu_item_id": "naan", "quantity": 4}]
UNKNOWN_ITEMS = [{"menu_item_id": "sushi", "quantity": 1}]


def order(order_id: str, **changes: object) -> Json:
    body = {"order_id": order_id, "consumer_id": "ann", "restaurant_id": "ajanta",
            "line_items": [{"menu_item_id": "curry", "quantity": 2}]}  # fmt: skip
    return body | changes


def ticket(order_id: str, **changes: object) -> Json:
    body = {"order_id": order_id, "restaurant_id": "ajanta",
            "line_items": [{"menu_item_id": "curry", "quantity": 2}]}  # fmt: skip
    return body | changes


def created(collection: str, make: Callable[[str], Json]) -> Callable[[httpx.Client, str], None]:
    def ready(client: httpx.Client, record_id: str) -> None:
        answer(client.post(collection, json=make(record_id)), 201)

    return ready


def approved(collection: str, make: Callable[[str], Json]) -> Callable[[httpx.Client, str], None]:
    def ready(client: httpx.Client, record_id: str) -> None:
        created(collection, make)(client, record_id)
        answer(client.post(f"{collection}/{record_id}/approve"), 200)

    return ready


def nothing(_: httpx.Client, __: str) -> None:
    pass


@dataclass(frozen=True)
class Step:
    """One saga step on one participant: `action` (empty: the create) and its `compensation`,
    both under `collection`; `ready` brings a record to where the action finds it and `refusing`
    to where the action is refused (`refused_body` is what the action then sends)."""

    fixtures: tuple[str, ...]
    collection: str
    action: str
    compensation: str
    body: Callable[[str], Json | None]
    ready: Callable[[httpx.Client, str], None]
    refusing: Callable[[httpx.Client, str], None]
    refused_body: Callable[[str], Json | None] = field(default=lambda _: None)
    undone: str | None = None  # the state a compensation leaves; None: as the action found it

    def action_path(self, record_id: str) -> str:
        if not self.action:
            return self.collection
        return f"{self.collection}/{record_id}/{self.action}"

    def compensation_path(self, record_id: str) -> str:
        return f"{self.collection}/{record_id}/{self.compensation}"

    def act(self, client: httpx.Client, body: Json | None) -> httpx.Response:
        """The action on record `r`, under the step's action key."""
        return client.post(self.action_path("r"), json=body, headers=keyed("s:step:action"))

    def undo(self, client: httpx.Client) -> httpx.Response:
        """The compensation of record `r`, under the step's compensation key."""
        return client.post(self.compensation_path("r"), headers=keyed("s:step:compensation"))

    def state(self, client: httpx.Client, record_id: str) -> str | None:
        response = client.get(f"{self.collection}/{record_id}")
        return str(response.json()["state"]) if response.status_code == 200 else None


def revise(_: str) -> Json:
    return {"line_items": NEW_ITEMS}


STEPS = {
    "orders:create": Step(("orders",), "/orders", "", "reject", order, nothing, nothing,
                          lambda record_id: order(record_id, line_items=[]), "REJECTED"),
    "orders:cancel": Step(("orders",), "/orders", "cancel/begin", "cancel/undo",
                          lambda _: None, approved("/orders", order), created("/orders", order)),
    "orders:revise": Step(("orders",), "/orders", "revise/begin", "revise/undo", revise,
                          approved("/orders", order), approved("/orders", order),
                          lambda _: {"line_items": UNKNOWN_ITEMS}),
    "kitchen:create": Step(("kitchen", "ajanta"), "/tickets", "", "reject", ticket, nothing,
                           nothing, lambda record_id: ticket(record_id, restaurant_id="nowhere"),
                           "REJECTED"),
    "kitchen:cancel": Step(("kitchen", "ajanta"), "/tickets", "cancel/begin", "cancel/undo",
                           lambda _: None, approved("/tickets", ticket),
                           created("/tickets", ticket)),
    "kitchen:revise": Step(("kitchen", "ajanta"), "/tickets", "revise/begin", "revise/undo",
                           revise, approved("/tickets", ticket), created("/tickets", ticket),
                           revise),
}  # fmt: skip


@pytest.fixture(params=list(STEPS))
def step(
    request: pytest.FixtureRequest, database_factory: DatabaseFactory
) -> tuple[Step, httpx.Client]:
    """The step and its participant, on each kind of database."""
    chosen = STEPS[request.param]
    clients = [request.getfixturevalue(name) for name in chosen.fixtures]
    return chosen, clients[0]


def test_a_compensation_of_an_unknown_record_is_a_no_op(step: tuple[Step, httpx.Client]) -> None:
    chosen, client = step
    seq = len(events(client))

    plain = client.post(chosen.compensation_path("nothing"))
    keyed_once = client.post(chosen.compensation_path("nothing"), headers=keyed("n:s:compensation"))

    for response in (plain, keyed_once):
        assert answer(response, 200) == {"order_id": "nothing", "state": None, "compensated": False}
    assert len(events(client)) == seq


def test_a_compensation_that_arrives_first_refuses_its_late_action(
    step: tuple[Step, httpx.Client],
) -> None:
    chosen, client = step
    chosen.ready(client, "r")
    before, seq = chosen.state(client, "r"), len(events(client))

    undo, late = chosen.undo(client), chosen.act(client, chosen.body("r"))

    assert answer(undo, 200) == {"order_id": "r", "state": before, "compensated": False}
    assert_error(late, 409, "already_compensated")
    assert chosen.state(client, "r") == before
    assert len(events(client)) == seq


def test_a_refused_action_leaves_its_compensation_nothing_to_undo(
    step: tuple[Step, httpx.Client],
) -> None:
    chosen, client = step
    chosen.refusing(client, "r")
    before, seq = chosen.state(client, "r"), len(events(client))

    action, undo = chosen.act(client, chosen.refused_body("r")), chosen.undo(client)

    assert action.status_code in (409, 422) and action.headers["Business-Rejection"]
    assert answer(undo, 200)["compensated"] is False
    assert chosen.state(client, "r") == before
    assert len(events(client)) == seq


def test_a_repeated_key_replays_the_stored_answer(step: tuple[Step, httpx.Client]) -> None:
    chosen, client = step
    chosen.ready(client, "r")
    before, seq = chosen.state(client, "r"), len(events(client))

    action = send_twice(client, "POST", chosen.action_path("r"), "s:step:action", chosen.body("r"))
    undo = send_twice(client, "POST", chosen.compensation_path("r"), "s:step:compensation")

    assert action.status_code in (200, 201) and undo.status_code == 200
    assert "compensated" not in undo.json()
    assert chosen.state(client, "r") == (chosen.undone or before)
    assert len(events(client)) == seq + 2
