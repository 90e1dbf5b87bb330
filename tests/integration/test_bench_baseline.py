"""The benchmark's hand-written baseline runs the same saga as the engine's newest Create Order
version: verify consumer and create ticket together, then compensation in reverse on a
rejection. On a real dev server, with test doubles for the activities."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from bench.workflows import BenchOrder, HandWrittenCreateOrder
from tests.support.doubles import Doubles, meet, reject
from worker import WorkerSettings, build_worker
from workflows.create_order import CREATE_ORDER_V2
from workflows.registry import SAGAS

MEMO = EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED
ATTRIBUTES = EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES
HISTORIES = Path(__file__).parents[1] / "histories"
VERIFY, TICKET = "consumers.verify_consumer", "kitchen.create_ticket"


@pytest.fixture
async def run(temporal_client: Client, doubles: Doubles) -> AsyncIterator[Any]:
    task_queue = f"baseline-{uuid.uuid4().hex}"
    settings = WorkerSettings(graceful_shutdown_seconds=0)
    workflows = [HandWrittenCreateOrder]
    async with build_worker(temporal_client, task_queue, doubles.activities(), settings, workflows):

        async def ran(publish: bool = False) -> str:
            items = [{"menu_item_id": "dal", "quantity": 1}]
            order = BenchOrder(uuid.uuid4().hex, "ann", "r1", items, publish=publish)
            handle = await temporal_client.start_workflow(
                HandWrittenCreateOrder.run, order, id=f"baseline-{order.order_id}",
                task_queue=task_queue,
            )  # fmt: skip
            result: str = await asyncio.wait_for(handle.result(), timeout=30)
            ran.history = [e.event_type async for e in handle.fetch_history_events()]  # type: ignore[attr-defined]
            return result

        yield ran


def test_the_baseline_follows_the_engines_newest_create_order() -> None:
    assert SAGAS.types["CreateOrder"].newest is CREATE_ORDER_V2
    assert [step.group is not None for step in CREATE_ORDER_V2.steps[1:3]] == [True, True]


async def test_verify_consumer_and_create_ticket_run_together(run: Any, doubles: Doubles) -> None:
    doubles.behaviours |= {VERIFY: meet(doubles, TICKET), TICKET: meet(doubles, VERIFY)}
    assert await run() == "COMPLETED"
    actions = doubles.roles("action")
    assert actions[0] == "create_order" and set(actions[1:3]) == {
        "verify_consumer",
        "create_ticket",
    }
    assert actions[3:] == ["authorize_card", "approve_ticket", "approve_order"]
    assert doubles.roles("compensation") == []


async def test_a_rejected_member_lets_its_partner_finish_then_compensates_in_reverse(
    run: Any, doubles: Doubles
) -> None:
    doubles.behaviours |= {VERIFY: reject("consumer_rejected"), TICKET: meet(doubles, VERIFY)}
    assert await run() == "COMPENSATED"
    assert doubles.attempts("accounting.authorize_card") == 0
    assert doubles.roles("compensation") == ["create_ticket", "create_order"]


async def test_publishing_adds_what_the_engine_publishes(run: Any, doubles: Doubles) -> None:
    """As many memo upserts as the engine's Create Order (one per workflow task that changes a
    step, and the last one) and the status attribute once, at the end."""
    assert await run() == "COMPLETED"
    assert MEMO not in run.history and ATTRIBUTES not in run.history
    assert await run(publish=True) == "COMPLETED"
    assert run.history.count(MEMO) == 6 and run.history.count(ATTRIBUTES) == 1
    engine = json.loads((HISTORIES / "CreateOrder-v2-completed.json").read_text())["events"]
    names = [event["eventType"] for event in engine]
    assert names.count(EventType.Name(MEMO)) == 6
