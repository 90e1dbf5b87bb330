"""A new definition version reaches new sagas only: sagas started on the newest registered
version and held at their pivot finish on its steps after the workers are replaced by ones that
know one version more, while the sagas started then run that one; the API shows each saga its own
steps."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

import httpx
import pytest
from temporalio.client import Client, WorkflowHistory
from temporalio.worker import Replayer

from activities.registry import http_client, saga_activities
from api.sagas import status as saga_status
from tests.support.sagas import Faults, Json, place_order, saga_ends, step_runs, steps
from tests.support.seed import World, new_world
from tests.support.servers import RunningServer
from tests.support.stack import FAST_SAGAS, TOKEN, Stack, start_api
from worker import WorkerSettings, build_worker, workflow_runner
from workflows.base import Registry, SagaType
from workflows.create_order import CreateOrderInput
from workflows.definition import retriable
from workflows.registry import SAGAS
from workflows.state import SagaState, StepStatus

CREATE_ORDER = SAGAS.types["CreateOrder"]
OLD = CREATE_ORDER.newest
# The next version checks the consumer once more after the order is approved.
RECHECK = retriable(
    "recheck_consumer",
    "consumers.verify_consumer",
    takes="order_id consumer_id create_order.total_cents",
)
NEW = replace(OLD, steps=(*OLD.steps, RECHECK), version=OLD.version + 1)
OLD_STEPS = [step.name for step in OLD.steps]
NEW_STEPS = [step.name for step in NEW.steps]
WITH_NEW = Registry(
    SagaType((*CREATE_ORDER.versions, NEW), CreateOrderInput),
    *(saga_type for name, saga_type in SAGAS.types.items() if name != OLD.saga_type),
)
# A pivot held for a while is not retried meanwhile (its timeout is long).
PATIENT = FAST_SAGAS.model_copy(update={"step_timeout_seconds": 60})


@asynccontextmanager
async def worker_of(stack: Stack, task_queue: str, registry: Registry) -> AsyncIterator[None]:
    urls = stack.participants.urls()
    settings = WorkerSettings(graceful_shutdown_seconds=0)
    async with http_client(urls) as http:
        chosen = saga_activities(http, urls, registry.activity_names())
        async with build_worker(stack.client, task_queue, chosen, settings, registry.workflows):
            yield


@pytest.fixture
async def own_api(stack: Stack) -> AsyncIterator[tuple[str, httpx.AsyncClient]]:
    """An API on a task queue of this test's own, whose workers the test replaces."""
    task_queue = f"versions-{uuid.uuid4().hex[:8]}"
    server: RunningServer = start_api(stack.client, task_queue, stack.participants, PATIENT)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    try:
        async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=30) as api:
            yield task_queue, api
    finally:
        server.stop()


async def held_at_pivot(api: httpx.AsyncClient, world: World, count: int) -> list[str]:
    sagas = [(await place_order(api, world.order((0, 1))))["saga_id"] for _ in range(count)]
    for saga_id in sagas:
        await step_runs(api, saga_id, "authorize_card")
    return sagas


async def test_running_sagas_keep_their_version_new_ones_take_the_newest(
    stack: Stack,
    own_api: tuple[str, httpx.AsyncClient],
    faults: Faults,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    task_queue, api = own_api
    world = await new_world(stack.http, stack.participants)
    accounting = stack.participants.accounting
    rule = await faults.add(accounting, "/authorizations", status=None, hold=True)
    async with worker_of(stack, task_queue, SAGAS):
        old = await held_at_pivot(api, world, 2)
    monkeypatch.setattr(saga_status, "SAGAS", WITH_NEW)  # the API deployed with the new version
    async with worker_of(stack, task_queue, WITH_NEW):
        new = await held_at_pivot(api, world, 2)
        await faults.release(accounting, rule)
        ended = {saga_id: await saga_ends(api, saga_id) for saga_id in old + new}
    for saga_id in old:
        await runs_version(stack.client, api, ended[saga_id], OLD.version, OLD_STEPS)
    for saga_id in new:
        await runs_version(stack.client, api, ended[saga_id], NEW.version, NEW_STEPS)
    await replays(stack.client, old + new, WITH_NEW)
    await refused_by_older_workers(stack.client, new)


async def runs_version(
    client: Client, api: httpx.AsyncClient, saga: Json, version: int, names: list[str]
) -> None:
    """The saga completed every step of `version`, and status and diagram show those steps."""
    saga_id = saga["saga_id"]
    assert saga["status"] == "COMPLETED", saga
    assert steps(saga) == dict.fromkeys(names, "SUCCEEDED")
    handle = client.get_workflow_handle(saga_id, result_type=SagaState)
    ran = await handle.result()  # what the workflow ran, not what the API draws from the memo
    assert [(step.name, step.status) for step in ran.steps] == [
        (name, StepStatus.SUCCEEDED) for name in names
    ]
    assert (await (await handle.describe()).memo())["version"] == version
    diagram = (await api.get(f"/sagas/{saga_id}/diagram")).text
    assert ("recheck_consumer" in diagram) is (version == NEW.version), diagram
    assert f"class {names[-1]} SUCCEEDED" in diagram


async def replays(client: Client, saga_ids: list[str], registry: Registry) -> None:
    """Both versions' histories replay on the workers that know the new version."""
    for sandbox in (True, False):
        replayer = Replayer(workflows=registry.workflows, workflow_runner=workflow_runner(sandbox))
        for history in await histories(client, saga_ids):
            result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
            assert result.replay_failure is None, (history.workflow_id, result.replay_failure)


async def refused_by_older_workers(client: Client, saga_ids: list[str]) -> None:
    """A worker that does not know the new version fails its sagas' tasks (another worker takes
    them again) rather than run them on an older version's steps: a rolling upgrade is safe."""
    replayer = Replayer(workflows=SAGAS.workflows, workflow_runner=workflow_runner(False))
    for history in await histories(client, saga_ids):
        result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
        assert "patch marker" in str(result.replay_failure), result.replay_failure


async def histories(client: Client, saga_ids: list[str]) -> list[WorkflowHistory]:
    return [await client.get_workflow_handle(saga_id).fetch_history() for saga_id in saga_ids]
