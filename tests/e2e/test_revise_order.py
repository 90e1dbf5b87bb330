"""Revise Order saga end to end: POST /orders/{id}/revise on an approved order."""

import asyncio
from typing import Any

import httpx

from tests.support.participants import assert_error
from tests.support.sagas import (
    Faults,
    Json,
    available_credit,
    place_order,
    saga_ends,
    step,
    step_runs,
    steps,
    unique,
)
from tests.support.seed import World, new_world
from tests.support.stack import Stack
from workflows.revise_order import REVISE_ORDER

STEPS = [s.name for s in REVISE_ORDER.steps]


def revise_steps(*values: str) -> dict[str, str]:
    """Step statuses in definition order; the steps not named are SKIPPED."""
    return dict(zip(STEPS, [*values, *["SKIPPED"] * (len(STEPS) - len(values))], strict=True))


async def approved_order(api: httpx.AsyncClient, world: World) -> str:
    """An order of 2 curries (2500 cents) whose Create Order saga completed."""
    accepted = await place_order(api, world.order((0, 2)))
    assert (await saga_ends(api, accepted["saga_id"]))["status"] == "COMPLETED"
    order_id: str = accepted["order_id"]
    return order_id


def items(world: World, *pairs: tuple[int, int]) -> list[Json]:
    line_items: list[Json] = world.order(*pairs)["line_items"]
    return line_items


async def revise(
    api: httpx.AsyncClient, order_id: str, line_items: list[Json], key: str | None = None
) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key else {}
    body = {"line_items": line_items}
    return await api.post(f"/orders/{order_id}/revise", json=body, headers=headers)


class Snapshot:
    """An order's records in the three participants and its consumer's available credit."""

    def __init__(self, stack: Stack, world: World, order_id: str) -> None:
        self.http, self.p, self.world, self.order_id = (
            stack.http,
            stack.participants,
            world,
            order_id,
        )

    async def take(self) -> tuple[Any, ...]:
        order = (await self.http.get(f"{self.p.orders.url}/orders/{self.order_id}")).json()
        ticket = (await self.http.get(f"{self.p.kitchen.url}/tickets/{self.order_id}")).json()
        url = f"{self.p.accounting.url}/authorizations/{self.order_id}"
        authorization = (await self.http.get(url)).json()
        credit = await available_credit(self.http, self.p, self.world.consumer_id)
        return order, ticket, authorization, credit

    async def unchanged_since(self, before: tuple[Any, ...]) -> bool:
        """Equal but for the records' `updated_at` (a compensation is a change that undoes)."""
        return _timeless(await self.take()) == _timeless(before)


def _timeless(snapshot: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(
        {k: v for k, v in part.items() if k != "updated_at"} if isinstance(part, dict) else part
        for part in snapshot
    )


async def test_a_revision_that_increases_the_total_completes(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    world = await new_world(stack.http, stack.participants)
    order_id = await approved_order(api, world)

    response = await revise(api, order_id, items(world, (0, 3), (1, 2)))

    assert response.status_code == 202, response.text
    saga_id = f"revise-order-{order_id}-1"
    assert response.json() == {"order_id": order_id, "saga_id": saga_id, "status": "RUNNING"}
    saga = await saga_ends(api, saga_id)
    assert (saga["status"], saga["saga_type"], saga["error"]) == ("COMPLETED", "ReviseOrder", None)
    assert steps(saga) == dict.fromkeys(STEPS, "SUCCEEDED")
    order, ticket, authorization, credit = await Snapshot(stack, world, order_id).take()
    assert (order["state"], order["total_cents"], order["revision"]) == ("APPROVED", 4450, 1)
    assert [(i["menu_item_id"], i["quantity"]) for i in order["line_items"]] == [
        (world.menu[0]["id"], 3),
        (world.menu[1]["id"], 2),
    ]
    assert order["pending_revision"] is None
    assert (ticket["state"], ticket["line_items"]) == (
        "AWAITING_ACCEPTANCE",
        items(world, (0, 3), (1, 2)),
    )
    assert (authorization["state"], authorization["amount_cents"]) == ("AUTHORIZED", 4450)
    assert credit == 100_000 - 4450
    second = await revise(api, order_id, items(world, (1, 1)))
    assert second.json()["saga_id"] == f"revise-order-{order_id}-2"


async def test_a_revision_that_decreases_the_total_gives_credit_back(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    world = await new_world(stack.http, stack.participants)
    order_id = await approved_order(api, world)

    saga_id = (await revise(api, order_id, items(world, (1, 1)))).json()["saga_id"]

    assert (await saga_ends(api, saga_id))["status"] == "COMPLETED"
    order, _, authorization, credit = await Snapshot(stack, world, order_id).take()
    assert (order["total_cents"], authorization["amount_cents"]) == (350, 350)
    assert credit == 100_000 - 350


async def test_a_declined_increase_leaves_everything_as_it_was(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    world = await new_world(stack.http, stack.participants, credit_cents=3000)
    order_id = await approved_order(api, world)
    snapshot = Snapshot(stack, world, order_id)
    before = await snapshot.take()

    saga_id = (await revise(api, order_id, items(world, (0, 3)))).json()["saga_id"]

    saga = await saga_ends(api, saga_id)
    assert (saga["status"], saga["error"]["code"]) == ("COMPENSATED", "card_declined")
    assert steps(saga) == revise_steps("COMPENSATED", "COMPENSATED", "FAILED")
    assert await snapshot.unchanged_since(before)
    assert before[3] == 500


async def test_an_unknown_menu_item_is_compensated_at_the_first_step(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    world = await new_world(stack.http, stack.participants)
    order_id = await approved_order(api, world)
    snapshot = Snapshot(stack, world, order_id)
    before = await snapshot.take()

    line_items = [{"menu_item_id": "sushi", "quantity": 1}]
    saga_id = (await revise(api, order_id, line_items)).json()["saga_id"]

    saga = await saga_ends(api, saga_id)
    assert (saga["status"], saga["error"]["code"]) == ("COMPENSATED", "unknown_menu_item")
    assert steps(saga) == revise_steps("FAILED")
    assert step(saga, "begin_revise")["error"]["code"] == "unknown_menu_item"
    assert await snapshot.unchanged_since(before)


async def test_only_an_approved_order_is_revised(stack: Stack, api: httpx.AsyncClient) -> None:
    world = await new_world(stack.http, stack.participants, credit_cents=100)
    accepted = await place_order(api, world.order((0, 1)))
    assert (await saga_ends(api, accepted["saga_id"]))["status"] == "COMPENSATED"

    refused = await revise(api, accepted["order_id"], items(world, (1, 1)))
    unknown = await revise(api, unique("nothing"), items(world, (1, 1)))

    assert_error(refused, 409, "order_not_revisable")
    missing = await api.get(f"/sagas/revise-order-{accepted['order_id']}-1")
    assert missing.status_code == 404, "no Revise Order saga may start"
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "order_not_found"
    empty = await revise(api, accepted["order_id"], [])
    assert empty.status_code == 422, empty.text


async def test_a_pending_revision_locks_the_order_against_cancel_and_other_revisions(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    world = await new_world(stack.http, stack.participants)
    order_id = await approved_order(api, world)
    # The pivot's answer waits until the test has tried to cancel and to revise again.
    accounting = stack.participants.accounting
    held = await faults.hold(accounting, f"/authorizations/{order_id}/revise")
    saga_id = (await revise(api, order_id, items(world, (0, 3)))).json()["saga_id"]
    await step_runs(api, saga_id, "revise_authorization")

    cancel = await api.post(f"/orders/{order_id}/cancel")
    other = await revise(api, order_id, items(world, (1, 1)))
    await faults.release(accounting, held)

    assert cancel.status_code == 409 and cancel.json()["error"]["code"] == "order_not_cancellable"
    assert other.status_code == 409 and other.json()["error"]["code"] == "order_not_revisable"
    assert (await saga_ends(api, saga_id))["status"] == "COMPLETED"


async def test_a_pending_cancel_locks_the_order_against_revisions(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    world = await new_world(stack.http, stack.participants)
    order_id = await approved_order(api, world)
    accounting = stack.participants.accounting
    held = await faults.hold(accounting, f"/authorizations/{order_id}/reverse")
    assert (await api.post(f"/orders/{order_id}/cancel")).status_code == 202
    await step_runs(api, f"cancel-order-{order_id}", "reverse_authorization")

    refused = await revise(api, order_id, items(world, (1, 1)))
    await faults.release(accounting, held)

    assert refused.status_code == 409 and refused.json()["error"]["code"] == "order_not_revisable"
    assert (await saga_ends(api, f"cancel-order-{order_id}"))["status"] == "COMPLETED"
    assert (await api.get(f"/sagas/revise-order-{order_id}-1")).status_code == 404


async def test_the_same_key_and_body_answer_the_same_revision(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    world = await new_world(stack.http, stack.participants)
    order_id = await approved_order(api, world)
    key, line_items = unique("revise"), items(world, (1, 3))

    first = await revise(api, order_id, line_items, key)
    running = await revise(api, order_id, line_items, key)
    assert (first.status_code, running.status_code) == (202, 202), running.text
    assert running.json()["saga_id"] == first.json()["saga_id"] == f"revise-order-{order_id}-1"
    assert (await saga_ends(api, first.json()["saga_id"]))["status"] == "COMPLETED"

    after = await revise(api, order_id, line_items, key)
    reused = await revise(api, order_id, items(world, (1, 4)), key)

    assert after.status_code == 202, after.text
    assert after.json() == {
        "order_id": order_id,
        "saga_id": f"revise-order-{order_id}-1",
        "status": "COMPLETED",
    }
    assert reused.status_code == 422 and reused.json()["error"]["code"] == "idempotency_key_reused"
    order, _, _, credit = await Snapshot(stack, world, order_id).take()
    assert (order["revision"], order["total_cents"], credit) == (1, 1050, 100_000 - 1050)


async def test_of_two_concurrent_revisions_one_starts(stack: Stack, api: httpx.AsyncClient) -> None:
    world = await new_world(stack.http, stack.participants)
    order_id = await approved_order(api, world)

    answers = await asyncio.gather(
        revise(api, order_id, items(world, (1, 1))), revise(api, order_id, items(world, (1, 2)))
    )

    assert sorted(a.status_code for a in answers) == [202, 409], [a.text for a in answers]
    [refused] = [a for a in answers if a.status_code == 409]
    assert refused.json()["error"]["code"] == "order_not_revisable"
    assert (await saga_ends(api, f"revise-order-{order_id}-1"))["status"] == "COMPLETED"


UNKNOWN_ITEM = [{"menu_item_id": "sushi", "quantity": 1}]


async def compensated_revision(
    stack: Stack, api: httpx.AsyncClient, key: str | None = None
) -> tuple[World, str, str]:
    """An approved order whose first revision (an unknown menu item) ended COMPENSATED."""
    world = await new_world(stack.http, stack.participants)
    order_id = await approved_order(api, world)
    saga_id = (await revise(api, order_id, UNKNOWN_ITEM, key=key)).json()["saga_id"]
    assert (await saga_ends(api, saga_id))["status"] == "COMPENSATED"
    return world, order_id, saga_id


async def test_a_compensated_revision_is_tried_again_as_a_new_attempt(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    world, order_id, saga_id = await compensated_revision(stack, api)

    again = await revise(api, order_id, items(world, (1, 1)))

    assert again.status_code == 202, again.text
    assert again.json()["saga_id"] == saga_id  # the same revision number, a new attempt
    saga = await saga_ends(api, saga_id)
    assert saga["status"] == "COMPLETED", saga
    order = (await stack.http.get(f"{stack.participants.orders.url}/orders/{order_id}")).json()
    assert (order["state"], order["revision"], order["total_cents"]) == ("APPROVED", 1, 350)


async def test_a_repeated_request_answers_the_compensated_attempt(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    key = unique("k")
    _, order_id, saga_id = await compensated_revision(stack, api, key)

    repeat = await revise(api, order_id, UNKNOWN_ITEM, key=key)

    assert repeat.status_code == 202, repeat.text
    assert (repeat.json()["saga_id"], repeat.json()["status"]) == (saga_id, "COMPENSATED")
