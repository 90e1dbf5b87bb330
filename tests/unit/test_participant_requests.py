"""The requests participants receive are those the activities sent before steps declared their
data flow: the same path, body and idempotency key for every step of every saga, built from
the definitions' declarations by the engine's own function."""

import json
from typing import Any

import httpx
import pytest
from temporalio.testing import ActivityEnvironment

from activities.config import ParticipantUrls
from activities.registry import saga_activities
from workflows.dataflow import step_input
from workflows.registry import DEFINITIONS
from workflows.state import StepCall

LINE_ITEMS = [{"menu_item_id": "curry", "quantity": 2}]
SAGA_INPUT = {
    "order_id": "o1",
    "consumer_id": "c1",
    "restaurant_id": "r1",
    "line_items": LINE_ITEMS,
}
RESULTS = {
    "create_order": {"total_cents": 2500},
    "begin_revise": {"pending_revision": {"total_cents": 900}},
}
ORDER = {
    "order_id": "o1",
    "consumer_id": "c1",
    "restaurant_id": "r1",
    "line_items": LINE_ITEMS,
    "saga_id": "s",
}
# What each step's action sent when every step received the saga input and all earlier results.
EXPECTED: dict[str, tuple[str, Any]] = {
    "create_order": ("/orders", ORDER),
    "verify_consumer": ("/consumers/c1/verify", {"order_id": "o1", "total_cents": 2500}),
    "create_ticket": ("/tickets", {k: v for k, v in ORDER.items() if k != "consumer_id"}),
    "authorize_card": ("/authorizations", {"order_id": "o1", "consumer_id": "c1", "amount_cents": 2500, "saga_id": "s"}),
    "approve_ticket": ("/tickets/o1/approve", None),
    "approve_order": ("/orders/o1/approve", None),
    "begin_cancel": ("/orders/o1/cancel/begin", None),
    "begin_cancel_ticket": ("/tickets/o1/cancel/begin", None),
    "reverse_authorization": ("/authorizations/o1/reverse", None),
    "confirm_cancel_ticket": ("/tickets/o1/cancel/confirm", None),
    "confirm_cancel": ("/orders/o1/cancel/confirm", None),
    "begin_revise": ("/orders/o1/revise/begin", {"line_items": LINE_ITEMS}),
    "begin_revise_ticket": ("/tickets/o1/revise/begin", {"line_items": LINE_ITEMS}),
    "revise_authorization": ("/authorizations/o1/revise", {"amount_cents": 900}),
    "confirm_revise_ticket": ("/tickets/o1/revise/confirm", None),
    "confirm_revise": ("/orders/o1/revise/confirm", None),
}  # fmt: skip
COMPENSATIONS = {
    "create_order": "/orders/o1/reject",
    "create_ticket": "/tickets/o1/reject",
    "begin_cancel": "/orders/o1/cancel/undo",
    "begin_cancel_ticket": "/tickets/o1/cancel/undo",
    "begin_revise": "/orders/o1/revise/undo",
    "begin_revise_ticket": "/tickets/o1/revise/undo",
}
STEPS = [(d, s) for d in DEFINITIONS.values() for s in d.steps]


async def sent(activity_name: str, call: StepCall) -> httpx.Request:
    """The one request the activity sends, answered 200 by a recording participant."""
    requests: list[httpx.Request] = []

    def participant(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json={})

    async with httpx.AsyncClient(transport=httpx.MockTransport(participant)) as http:
        activities = {a.__name__: a for a in saga_activities(http, ParticipantUrls())}
        await ActivityEnvironment().run(activities[activity_name.partition(".")[2]], call)
    assert len(requests) == 1
    return requests[0]


def body(request: httpx.Request) -> Any:
    return json.loads(request.content) if request.content else None


@pytest.mark.parametrize(("definition", "step"), STEPS, ids=[s.name for _, s in STEPS])
async def test_each_action_sends_what_it_sent_before(definition: Any, step: Any) -> None:
    call = StepCall("s", step.name, "action", step_input(step.takes, SAGA_INPUT, RESULTS))
    request = await sent(step.action, call)
    assert (request.url.path, body(request)) == EXPECTED[step.name]
    assert request.headers["Idempotency-Key"] == f"s:{step.name}:action"


@pytest.mark.parametrize("name", sorted(COMPENSATIONS))
async def test_each_compensation_sends_what_it_sent_before(name: str) -> None:
    step = next(s for _, s in STEPS if s.name == name)
    call = StepCall("s", name, "compensation", step_input(step.takes, SAGA_INPUT, RESULTS), 2)
    assert step.compensation is not None
    request = await sent(step.compensation, call)
    assert (request.url.path, body(request)) == (COMPENSATIONS[name], None)
    assert request.headers["Idempotency-Key"] == f"s#2:{name}:compensation"
