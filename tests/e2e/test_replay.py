"""The saga workflows are deterministic: their real histories replay without divergence."""

from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from tests.support.sagas import saga_ends
from tests.support.seed import new_world
from tests.support.stack import Stack
from worker import workflow_runner
from workflows.registry import WORKFLOWS


async def test_histories_of_every_outcome_replay(stack: Stack) -> None:
    rich = await new_world(stack.http, stack.participants)
    poor = await new_world(stack.http, stack.participants, credit_cents=100)
    histories: list[WorkflowHistory] = []
    async with stack.api_client() as api:
        completed = (await api.post("/orders", json=rich.order((0, 1)))).json()
        declined = (await api.post("/orders", json=poor.order((0, 1)))).json()
        await saga_ends(api, completed["saga_id"])
        await saga_ends(api, declined["saga_id"])
        cancel = (await api.post(f"/orders/{completed['order_id']}/cancel")).json()
        await saga_ends(api, cancel["saga_id"])
    for saga_id in (completed["saga_id"], declined["saga_id"], cancel["saga_id"]):
        histories.append(await stack.client.get_workflow_handle(saga_id).fetch_history())
    for sandbox in (True, False):
        replayer = Replayer(workflows=WORKFLOWS, workflow_runner=workflow_runner(sandbox))
        for history in histories:
            result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
            assert result.replay_failure is None, (history.workflow_id, result.replay_failure)
