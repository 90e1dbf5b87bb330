"""Every committed history (tests/histories/, `python -m scripts.record_histories`) replays on
the current workflow code, sandboxed and not: a change that would break the sagas already
running fails here, without a server."""

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from worker import workflow_runner
from workflows.registry import WORKFLOWS

HISTORIES = sorted((Path(__file__).parent.parent / "histories").glob("*.json"))


def test_every_saga_type_has_committed_histories() -> None:
    names = {path.stem.split("-")[0] for path in HISTORIES}
    assert names == {"create_order", "cancel_order", "revise_order"}


@pytest.mark.parametrize("sandbox", [True, False], ids=["sandboxed", "unsandboxed"])
@pytest.mark.parametrize("path", HISTORIES, ids=lambda path: path.stem)
async def test_committed_history_replays(path: Path, sandbox: bool) -> None:
    history = WorkflowHistory.from_json(path.stem, path.read_text())
    replayer = Replayer(workflows=WORKFLOWS, workflow_runner=workflow_runner(sandbox))
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
