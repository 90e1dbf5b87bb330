"""A compensation that cannot succeed parks the saga in NEEDS_ATTENTION until an operator
resolves it: retry (after fixing the cause) or skip (done by hand)."""

from datetime import datetime

import httpx
import pytest

from api.routes.orders import new_order_id
from tests.support.eventually import eventually_async
from tests.support.participants import assert_error
from tests.support.sagas import (
    Faults,
    Json,
    Records,
    create_order_steps,
    order_held_at,
    place_order,
    saga_ends,
    saga_reaches,
    step,
    steps,
    unique,
)
from tests.support.seed import new_world
from tests.support.stack import FAST_SAGAS, Stack
from workflows.engine import SAGA_STATUS

ALICE = "alice-token"


async def stuck_saga(stack: Stack, api: httpx.AsyncClient, faults: Faults, status: int) -> Json:
    """A card-declined Create Order saga whose ticket cannot be rejected: NEEDS_ATTENTION."""
    world = await new_world(stack.http, stack.participants, credit_cents=100)
    key = unique("cart")
    order_id = new_order_id("operator", key)
    reject = f"/tickets/{order_id}/reject"
    await faults.add(stack.participants.kitchen, reject, status=status, business=status < 500)
    accepted = await place_order(api, world.order((0, 1)), key)
    assert accepted["order_id"] == order_id
    return await saga_reaches(api, accepted["saga_id"], "NEEDS_ATTENTION")


async def resolve(api: httpx.AsyncClient, saga_id: str, action: str, reason: str) -> Json:
    response = await api.post(
        f"/sagas/{saga_id}/resolve", json={"action": action, "reason": reason}
    )
    assert response.status_code == 202, response.text
    saga: Json = response.json()
    return saga


async def test_retry_after_the_cause_is_fixed_completes_the_compensation(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    saga = await stuck_saga(stack, api, faults, status=503)
    saga_id = saga["saga_id"]
    ticket = step(saga, "create_ticket")
    assert ticket["status"] == "FAILED"
    assert ticket["error"]["code"] == "retries_exhausted"
    assert ticket["compensation_attempts"] == FAST_SAGAS.compensation_max_attempts
    assert step(saga, "create_order")["status"] == "SUCCEEDED", "compensations run in reverse"

    async def listed() -> None:
        page = (await api.get("/sagas", params={"status": "NEEDS_ATTENTION"})).json()
        assert saga_id in [s["saga_id"] for s in page["sagas"]]

    await eventually_async(listed)
    description = await stack.client.get_workflow_handle(saga_id).describe()
    assert description.typed_search_attributes.get(SAGA_STATUS) == "NEEDS_ATTENTION"

    await faults.clear(stack.participants.kitchen)
    answer = await resolve(api, saga_id, "retry", "kitchen DB restored")
    assert answer["operator_actions"][0]["action"] == "retry"
    saga = await saga_ends(api, saga_id)
    assert (saga["status"], saga["error"]["code"]) == ("COMPENSATED", "card_declined")
    assert steps(saga) == create_order_steps("COMPENSATED", "SUCCEEDED", "COMPENSATED", "FAILED")
    [action] = saga["operator_actions"]
    assert (action["actor"], action["action"], action["reason"], action["step"]) == (
        "operator",
        "retry",
        "kitchen DB restored",
        "create_ticket",
    )
    assert datetime.fromisoformat(action["at"]) >= datetime.fromisoformat(saga["started_at"])
    order_id = saga_id.removeprefix("create-order-")
    records = Records(stack.http, stack.participants, order_id)
    assert await records.all() == ("REJECTED", "REJECTED", "DECLINED")

    async def no_longer_listed() -> None:
        page = (await api.get("/sagas", params={"status": "NEEDS_ATTENTION"})).json()
        assert saga_id not in [s["saga_id"] for s in page["sagas"]]

    await eventually_async(no_longer_listed)


async def test_skip_records_who_decided_and_carries_on_compensating(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    saga = await stuck_saga(stack, api, faults, status=409)
    saga_id = saga["saga_id"]
    ticket = step(saga, "create_ticket")
    assert ticket["error"]["code"] == "injected_fault"
    assert ticket["compensation_attempts"] == 1, "a business answer is not retried"
    bad = await api.post(f"/sagas/{saga_id}/resolve", json={"action": "undo", "reason": "r"})
    assert bad.status_code == 422, bad.text
    assert (await saga_reaches(api, saga_id, "NEEDS_ATTENTION"))["operator_actions"] == []
    async with stack.api_client(ALICE) as alice:
        await resolve(alice, saga_id, "skip", "ticket voided by hand")
    saga = await saga_ends(api, saga_id)
    assert (saga["status"], saga["error"]["code"]) == ("COMPENSATED", "card_declined")
    assert steps(saga) == create_order_steps("COMPENSATED", "SUCCEEDED", "SKIPPED", "FAILED")
    [action] = saga["operator_actions"]
    assert (action["actor"], action["action"], action["reason"], action["step"]) == (
        "alice",
        "skip",
        "ticket voided by hand",
        "create_ticket",
    )
    records = Records(stack.http, stack.participants, saga_id.removeprefix("create-order-"))
    assert await records.all() == ("REJECTED", "CREATE_PENDING", "DECLINED")


async def test_resolve_of_a_running_saga_is_refused(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    server = stack.participants.kitchen
    accepted, held = await order_held_at(stack, api, faults, server, "/tickets", "create_ticket")
    body = {"action": "retry", "reason": "nothing to do"}
    response = await api.post(f"/sagas/{accepted['saga_id']}/resolve", json=body)
    assert_error(response, 409, "saga_not_needing_attention")
    await faults.release(stack.participants.kitchen, held)
    saga = await saga_ends(api, accepted["saga_id"])
    assert (saga["status"], saga["operator_actions"]) == ("COMPLETED", [])


async def test_resolve_of_a_completed_saga_is_refused(stack: Stack, api: httpx.AsyncClient) -> None:
    world = await new_world(stack.http, stack.participants)
    accepted = await place_order(api, world.order((0, 1)))
    await saga_ends(api, accepted["saga_id"])
    body = {"action": "skip", "reason": "too late"}
    response = await api.post(f"/sagas/{accepted['saga_id']}/resolve", json=body)
    assert_error(response, 409, "saga_closed")


BAD_RESOLUTIONS = {
    "unknown action": {"action": "undo", "reason": "why not"},
    "no reason": {"action": "retry"},
    "empty reason": {"action": "retry", "reason": ""},
    "no action": {"reason": "why not"},
    "extra field": {"action": "retry", "reason": "r", "step": "create_ticket"},
}


@pytest.mark.parametrize("body", BAD_RESOLUTIONS.values(), ids=BAD_RESOLUTIONS.keys())
async def test_a_bad_resolution_is_refused(api: httpx.AsyncClient, body: Json) -> None:
    response = await api.post(f"/sagas/{unique('create-order')}/resolve", json=body)
    assert response.status_code == 422, response.text


async def test_resolve_of_an_unknown_saga_is_404(api: httpx.AsyncClient) -> None:
    body = {"action": "retry", "reason": "r"}
    response = await api.post(f"/sagas/{unique('create-order')}/resolve", json=body)
    assert_error(response, 404, "saga_not_found")
