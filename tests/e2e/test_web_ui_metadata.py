"""What the Temporal Web UI shows of a saga, read back through the client: the workflow's
current details (its metadata query), its static summary and details, and one summary per
activity in its history."""

from typing import Any

import httpx
from temporalio.api.enums.v1 import EventType
from temporalio.api.sdk.v1 import WorkflowMetadata
from temporalio.client import Client, WorkflowHandle

from tests.e2e.test_local_activities import start_local
from tests.support.sagas import Faults, order_held_at, place_order, saga_ends
from tests.support.seed import new_world
from tests.support.stack import Stack

METADATA_QUERY = "__temporal_workflow_metadata"


async def current_details(handle: WorkflowHandle[Any, Any]) -> str:
    metadata: WorkflowMetadata = await handle.query(METADATA_QUERY, result_type=WorkflowMetadata)
    return metadata.current_details


def step_rows(details: str) -> dict[str, list[str]]:
    """Step name → the other cells of its row in the step table."""
    lines = [line for line in details.splitlines() if line.startswith("| ")][2:]
    cells = [[cell.strip().strip("`") for cell in line.strip("|").split(" | ")] for line in lines]
    return {row[0]: row[1:] for row in cells}


async def activity_summaries(
    client: Client,
    handle: WorkflowHandle[Any, Any],
    event_type: EventType.ValueType = EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
) -> list[str]:
    """The summary of every event of `event_type` (a local activity's is its marker), in history
    order, decoded as the client decodes payloads (with its codec, when encryption is on)."""
    history = await handle.fetch_history()
    summaries = [  # a version's patch marker carries none
        e.user_metadata.summary
        for e in history.events
        if e.event_type == event_type and e.user_metadata.HasField("summary")
    ]
    return [str(summary) for summary in await client.data_converter.decode(summaries)]


async def test_a_completed_saga_shows_its_steps_summary_and_activities(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    world = await new_world(stack.http, stack.participants)
    accepted = await place_order(api, world.order((0, 2), (1, 1)))
    await saga_ends(api, accepted["saga_id"])
    handle = stack.client.get_workflow_handle(accepted["saga_id"])
    details = await current_details(handle)
    assert details.startswith("**CreateOrder** saga: **COMPLETED**\n")
    assert "**Pivot** `authorize_card`: passed" in details
    assert step_rows(details)["create_order"] == [
        "compensatable", "SUCCEEDED", "1", "orders.reject_order", "0", "",
    ]  # fmt: skip
    assert {row[1] for row in step_rows(details).values()} == {"SUCCEEDED"}
    description = await handle.describe()
    order, consumer = accepted["order_id"], world.consumer_id
    assert await description.static_summary() == (
        f"CreateOrder · order {order[:8]}… · consumer {consumer[:8]}… · "
        f"restaurant {world.restaurant_id[:8]}… · 2 line items"
    )
    static_details = await description.static_details() or ""
    assert f"* **order id**: `{order}`" in static_details
    assert f"* menu_item_id: `{world.menu[0]['id']}` · quantity: `2`" in static_details
    assert await activity_summaries(stack.client, handle) == [
        "create_order · action", "verify_consumer · action", "create_ticket · action",
        "authorize_card · action", "approve_ticket · action", "approve_order · action",
    ]  # fmt: skip


async def test_a_compensated_saga_shows_its_compensations(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    world = await new_world(stack.http, stack.participants, credit_cents=1000)
    accepted = await place_order(api, world.order((0, 1)))
    await saga_ends(api, accepted["saga_id"])
    handle = stack.client.get_workflow_handle(accepted["saga_id"])
    details = await current_details(handle)
    assert details.startswith("**CreateOrder** saga: **COMPENSATED** — card_declined: ")
    assert "**Pivot** `authorize_card`: not passed" in details
    rows = step_rows(details)
    assert rows["create_order"][:5] == [
        "compensatable",
        "COMPENSATED",
        "1",
        "orders.reject_order",
        "1",
    ]
    assert rows["create_ticket"][:5] == [
        "compensatable",
        "COMPENSATED",
        "1",
        "kitchen.reject_ticket",
        "1",
    ]
    assert rows["authorize_card"][1] == "FAILED"
    assert rows["authorize_card"][5] == "card_declined"
    assert "* `authorize_card`: card_declined: " in details
    assert rows["approve_order"][1] == "SKIPPED"
    assert (await activity_summaries(stack.client, handle))[-2:] == [
        "create_ticket · compensation", "create_order · compensation",
    ]  # fmt: skip


async def test_a_running_saga_shows_the_step_it_waits_on(
    stack: Stack, api: httpx.AsyncClient, faults: Faults
) -> None:
    server = stack.participants.kitchen
    accepted, held = await order_held_at(stack, api, faults, server, "/tickets", "create_ticket")
    handle = stack.client.get_workflow_handle(accepted["saga_id"])
    details = await current_details(handle)
    assert details.startswith("**CreateOrder** saga: **RUNNING**\n")
    assert step_rows(details)["create_ticket"][1] == "RUNNING"
    assert step_rows(details)["authorize_card"][1] == "PENDING"
    await faults.release(stack.participants.kitchen, held)
    await saga_ends(api, accepted["saga_id"])


async def test_local_activities_carry_the_same_summaries(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    world = await new_world(stack.http, stack.participants)
    _, saga_id = await start_local(stack, world)
    await saga_ends(api, saga_id)
    handle = stack.client.get_workflow_handle(saga_id)
    markers = await activity_summaries(stack.client, handle, EventType.EVENT_TYPE_MARKER_RECORDED)
    assert markers[0] == "create_order · action"
    assert set(markers[1:3]) == {"verify_consumer · action", "create_ticket · action"}  # a group
    assert len(markers) == 6
