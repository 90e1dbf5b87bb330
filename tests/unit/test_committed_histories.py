"""Every committed history (tests/histories/, `python -m scripts.record_histories`) replays on
the current workflow code, sandboxed and not: a change that would break the sagas already
running fails here, without a server."""

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from worker import workflow_runner
from workflows.registry import SAGAS, WORKFLOWS

HISTORIES = sorted((Path(__file__).parent.parent / "histories").glob("*.json"))


def type_and_version(path: Path) -> tuple[str, int]:
    """`CreateOrder-v1-completed.json` → ("CreateOrder", 1)."""
    saga_type, version, _ = path.stem.split("-", 2)
    return saga_type, int(version.removeprefix("v"))


def test_every_version_of_every_saga_type_has_committed_histories() -> None:
    registered = {(t.name, d.version) for t in SAGAS.types.values() for d in t.versions}
    assert {type_and_version(path) for path in HISTORIES} == registered


@pytest.mark.parametrize("sandbox", [True, False], ids=["sandboxed", "unsandboxed"])
@pytest.mark.parametrize("path", HISTORIES, ids=lambda path: path.stem)
async def test_committed_history_replays(path: Path, sandbox: bool) -> None:
    history = WorkflowHistory.from_json(path.stem, path.read_text())
    replayer = Replayer(workflows=WORKFLOWS, workflow_runner=workflow_runner(sandbox))
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
