"""The saga's status as a read model: the workflow publishes it in its memo as it changes, the
API reads it back with one describe call (no query, no worker round trip).

Memo layout (each key a small JSON object, so an upsert carries only what changed):

* `saga`: `{"status", "error", "closed_at", "past_pivot"}`
* `step.<name>`: `{"status", "attempts", "error", "compensation_attempts"}` (absent: PENDING)
* `operator_actions`: the operators' decisions, oldest first
* `attempt`: the saga's attempt under its id (set by the starter; absent: 1)
* `version`: the definition version the saga runs (absent: 1, a saga from before versions)

The search attribute `SagaStatus` follows the saga status and is upserted only when it changes.
"""

from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeKey

from workflows.definition import SagaDefinition
from workflows.details import current_details
from workflows.state import ErrorInfo, OperatorAction, SagaState, SagaStatus, StepState, StepStatus

SAGA_TYPE = SearchAttributeKey.for_keyword("SagaType")
SAGA_STATUS = SearchAttributeKey.for_keyword("SagaStatus")
SAGA_KEY, STEP_PREFIX, OPERATOR_KEY, ATTEMPT_KEY = "saga", "step.", "operator_actions", "attempt"
VERSION_KEY = "version"
Json = dict[str, Any]


def memo_of(state: SagaState) -> Json:
    """The memo entries that describe `state` (a step still PENDING has none)."""
    memo: Json = {
        SAGA_KEY: {
            "status": state.status.value,
            "error": _error(state.error),
            "closed_at": state.closed_at.isoformat() if state.closed_at else None,
            "past_pivot": state.past_pivot,
        }
    }
    for step in state.steps:
        if step != StepState(
            step.name, step.kind, compensation=step.compensation, group=step.group
        ):
            memo[STEP_PREFIX + step.name] = {
                "status": step.status.value,
                "attempts": step.attempts,
                "error": _error(step.error),
                "compensation_attempts": step.compensation_attempts,
            }
    if state.operator_actions:
        memo[OPERATOR_KEY] = [_action(action) for action in state.operator_actions]
    return memo


def state_from_memo(
    saga_id: str, definition: SagaDefinition, started_at: datetime, memo: Mapping[str, Any]
) -> SagaState:
    """The saga's state as last published; before the first publication, every step PENDING."""
    saga = memo.get(SAGA_KEY) or {}
    state = SagaState(
        saga_id=saga_id,
        saga_type=definition.saga_type,
        status=SagaStatus(saga.get("status", SagaStatus.RUNNING)),
        steps=[
            _step(step.name, step.kind.value, step.compensation, step.group, memo)
            for step in definition.steps
        ],
        started_at=started_at,
        error=_error_of(saga.get("error")),
        closed_at=datetime.fromisoformat(saga["closed_at"]) if saga.get("closed_at") else None,
        past_pivot=bool(saga.get("past_pivot", False)),
        operator_actions=[_action_of(action) for action in memo.get(OPERATOR_KEY) or []],
    )
    return state


class Publisher:
    """Collects the changes of one workflow activation and publishes them once: one memo upsert
    with only the changed keys, and the search attribute when the status changed.

    `changed()` only marks the state dirty; `publish_changes()` (a task of its own) flushes
    once the activation's ready work has run (Temporal checks wait conditions only when nothing
    else is ready). A saga that closes flushes at once: its workflow completes in that
    activation."""

    def __init__(self, state: SagaState) -> None:
        self.state = state
        self.published: Json = {}
        self.published_status: str | None = None
        self.dirty = False
        self.constant: Json = {}

    def publish_once(self, key: str, value: Any) -> None:
        """An entry that never changes (the definition version): sent with the next flush."""
        self.constant[key] = value

    def assume_published(self, status: SagaStatus) -> None:
        """The starter set the search attributes already."""
        self.published_status = status.value

    def start(self, saga_type: str) -> None:
        """The starter set SagaType and SagaStatus=RUNNING already (the API does): upserting them
        again would cost the server one more visibility write per saga."""
        attributes = workflow.info().typed_search_attributes
        if attributes.get(SAGA_TYPE) != saga_type:
            workflow.upsert_search_attributes([SAGA_TYPE.value_set(saga_type)])
        if attributes.get(SAGA_STATUS) == SagaStatus.RUNNING.value:
            self.assume_published(SagaStatus.RUNNING)
        self.changed()

    def changed(self) -> None:
        self.dirty = True

    async def publish_changes(self) -> None:
        while True:
            await workflow.wait_condition(lambda: self.dirty)
            # One more round of condition checks: the saga's tasks woken together with this one
            # (a step's result, an operator's decision) make their changes first.
            await workflow.wait_condition(lambda: True)
            self.flush()

    def flush(self) -> None:
        self.dirty = False
        workflow.set_current_details(current_details(self.state))  # the Web UI's; no command
        memo = memo_of(self.state) | self.constant
        updates = {k: v for k, v in memo.items() if self.published.get(k) != v}
        if updates:
            workflow.upsert_memo(updates)
            self.published.update(updates)
        status = self.state.status.value
        if status != self.published_status:
            workflow.upsert_search_attributes([SAGA_STATUS.value_set(status)])
            self.published_status = status


def _error(error: ErrorInfo | None) -> Json | None:
    return asdict(error) if error else None


def _error_of(value: Json | None) -> ErrorInfo | None:
    return ErrorInfo(str(value["code"]), str(value["message"])) if value else None


def _action(action: OperatorAction) -> Json:
    return asdict(action) | {"at": action.at.isoformat()}


def _action_of(value: Json) -> OperatorAction:
    return OperatorAction(
        value["actor"], datetime.fromisoformat(value["at"]), value["action"], value["reason"],
        value.get("step"),
    )  # fmt: skip


def _step(
    name: str, kind: str, compensation: str | None, group: str | None, memo: Mapping[str, Any]
) -> StepState:
    published = memo.get(STEP_PREFIX + name)
    step = StepState(name, kind, compensation=compensation, group=group)
    if published:
        step.status = StepStatus(published["status"])
        step.attempts = int(published["attempts"])
        step.error = _error_of(published.get("error"))
        step.compensation_attempts = int(published.get("compensation_attempts", 0))
    return step
