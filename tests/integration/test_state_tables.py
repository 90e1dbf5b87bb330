"""Every row of a participant's state-change table, posted over HTTP from every state.

From one of its from-states a change answers 200 with the record in its to-state and records its
event (the record as the read endpoint shows it); a compensation finding its own to-state has
nothing to undo; from any other state the answer is 409 with the row's business error (a
compensation's is `<kind>_not_compensatable`) and no event.
"""

from dataclasses import dataclass, field
from enum import StrEnum

import httpx
import pytest

from http_contract.order_states import OrderState
from participant_commands.state_changes import StateChange
from participants.kitchen.models import TICKET_CHANGES, TicketState
from participants.orders.models import ORDER_CHANGES
from tests.conftest import DatabaseFactory
from tests.support.participants import Json, answer, events

LINE_ITEMS = [{"menu_item_id": "curry", "quantity": 2}]
NEW_ITEMS = {"line_items": [{"menu_item_id": "naan", "quantity": 4}]}


@dataclass(frozen=True)
class Machine:
    """A participant's table, and how to bring a new record to each state over HTTP."""

    fixtures: tuple[str, ...]
    collection: str
    kind: str
    changes: dict[str, StateChange]
    create: dict[str, object]
    paths_to: dict[StrEnum, tuple[str, ...]]
    bodies: dict[str, Json] = field(default_factory=dict)

    def record_in(self, client: httpx.Client, record_id: str, state: StrEnum) -> None:
        created = {"order_id": record_id, **self.create}
        answer(client.post(self.collection, json=created), 201)
        for path in self.paths_to[state]:
            answer(self.post(client, record_id, path), 200)

    def post(self, client: httpx.Client, record_id: str, path: str) -> httpx.Response:
        url = f"{self.collection}/{record_id}/{path}"
        return client.post(url, json=self.bodies.get(path))


OS, TS = OrderState, TicketState
MACHINES = {
    "orders": Machine(
        ("orders",), "/orders", "order", ORDER_CHANGES,
        {"consumer_id": "ann", "restaurant_id": "ajanta", "line_items": LINE_ITEMS},
        {OS.APPROVAL_PENDING: (), OS.APPROVED: ("approve",), OS.REJECTED: ("reject",),
         OS.CANCEL_PENDING: ("approve", "cancel/begin"),
         OS.CANCELLED: ("approve", "cancel/begin", "cancel/confirm"),
         OS.REVISION_PENDING: ("approve", "revise/begin")},
        {"revise/begin": NEW_ITEMS},
    ),
    "kitchen": Machine(
        ("kitchen", "ajanta"), "/tickets", "ticket", TICKET_CHANGES,
        {"restaurant_id": "ajanta", "line_items": LINE_ITEMS},
        {TS.CREATE_PENDING: (), TS.AWAITING_ACCEPTANCE: ("approve",), TS.REJECTED: ("reject",),
         TS.CANCEL_PENDING: ("approve", "cancel/begin"),
         TS.CANCELLED: ("approve", "cancel/begin", "cancel/confirm"),
         TS.REVISION_PENDING: ("approve", "revise/begin")},
        {"revise/begin": NEW_ITEMS},
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(MACHINES))
def test_every_state_change_from_every_state(
    name: str, request: pytest.FixtureRequest, database_factory: DatabaseFactory
) -> None:
    machine = MACHINES[name]
    clients = [request.getfixturevalue(fixture) for fixture in machine.fixtures]
    client = clients[0]
    assert set(machine.paths_to) == set(type(next(iter(machine.paths_to)))), "every state"
    for change in machine.changes.values():
        for number, state in enumerate(machine.paths_to):
            record_id = f"{change.path.replace('/', '-')}-{number}"
            machine.record_in(client, record_id, state)
            check(machine, client, change, record_id, state)


def check(
    machine: Machine, client: httpx.Client, change: StateChange, record_id: str, state: StrEnum
) -> None:
    case = f"{change.path} from {state}"
    seq = len(events(client))
    response = machine.post(client, record_id, change.path)
    if state in change.sources:
        assert answer(response, 200)["state"] == change.target, case
        recorded = events(client)[seq:]
        assert [event["event_type"] for event in recorded] == [change.event], case
        shown = answer(client.get(f"{machine.collection}/{record_id}"), 200)
        assert recorded[0]["payload"] == shown, case
        return
    if change.compensates and state == change.target:
        expected = {"order_id": record_id, "state": state, "compensated": False}
        assert answer(response, 200) == expected, case
    else:
        refusal = f"{machine.kind}_not_compensatable" if change.compensates else change.refusal
        assert answer(response, 409)["error"]["code"] == refusal, case
    assert len(events(client)) == seq, case
