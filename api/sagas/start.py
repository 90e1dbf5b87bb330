"""Start a saga once per id; a Cancel Order saga may be tried again after it was compensated."""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError

from api.sagas.summary import static_details, static_summary
from api.sagas.temporal import describe, temporal_errors
from http_contract.errors import DomainError, NotFound
from workflows.publishing import ATTEMPT_KEY, SAGA_KEY, SAGA_STATUS, SAGA_TYPE
from workflows.state import SagaStatus

REQUEST_HASH = "request_hash"


@dataclass
class Started:
    saga_id: str
    status: str
    duplicate: bool


def request_hash(body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def start_saga(
    client: Client,
    workflow: str,
    saga_input: Any,
    saga_id: str,
    task_queue: str,
    fingerprint: str | None = None,
    attempt: int = 1,
) -> Started:
    """Start a saga once per id. Starting it again with the same request is a no-op that
    answers the existing saga; with another request it is an error. `attempt` > 1 starts a new
    run under a closed saga's id (a running one is joined, never doubled)."""
    memo: dict[str, Any] = {REQUEST_HASH: fingerprint} if fingerprint else {}
    if attempt > 1:
        memo[ATTEMPT_KEY] = attempt
    try:
        await _start(client, workflow, saga_input, saga_id, task_queue, memo, attempt)
    except WorkflowAlreadyStartedError:
        return await _existing(client, saga_id, fingerprint)
    return Started(saga_id, SagaStatus.RUNNING.value, duplicate=False)


async def _start(
    client: Client,
    workflow: str,
    saga_input: Any,
    saga_id: str,
    task_queue: str,
    memo: dict[str, Any],
    attempt: int,
) -> None:
    attributes = TypedSearchAttributes(
        [
            SearchAttributePair(SAGA_TYPE, workflow),
            SearchAttributePair(SAGA_STATUS, SagaStatus.RUNNING.value),
        ]
    )
    with temporal_errors():
        await client.start_workflow(
            workflow,
            saga_input,
            id=saga_id,
            task_queue=task_queue,
            id_reuse_policy=(
                WorkflowIDReusePolicy.ALLOW_DUPLICATE
                if attempt > 1
                else WorkflowIDReusePolicy.REJECT_DUPLICATE
            ),
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            memo=memo or None,
            search_attributes=attributes,
            static_summary=static_summary(workflow, saga_input, attempt),
            static_details=static_details(saga_input),
        )


async def _existing(client: Client, saga_id: str, fingerprint: str | None) -> Started:
    description = await describe(client.get_workflow_handle(saga_id))
    with temporal_errors():
        memo = await description.memo()
    if fingerprint is None or memo.get(REQUEST_HASH) != fingerprint:
        raise DomainError(
            "idempotency_key_reused", "this Idempotency-Key was used with another request body"
        )
    status = description.typed_search_attributes.get(SAGA_STATUS) or SagaStatus.RUNNING.value
    return Started(saga_id, status, duplicate=True)


# A new attempt may follow one that ended like this: it left the order as it was.
RETRYABLE_ENDINGS = {SagaStatus.COMPENSATED.value, SagaStatus.CANCELLED.value}


async def next_attempt(client: Client, saga_id: str) -> int:
    """The attempt a start under `saga_id` makes now: 1 for a new id; the current run's own
    attempt while it runs or when it ended for good (the start then answers that run); the
    next one after a run that ended COMPENSATED or CANCELLED."""
    try:
        description = await describe(client.get_workflow_handle(saga_id))
    except NotFound:
        return 1
    with temporal_errors():
        memo = await description.memo()
    attempt = int(memo.get(ATTEMPT_KEY, 1))
    if description.status != WorkflowExecutionStatus.COMPLETED:
        return attempt
    ended = (memo.get(SAGA_KEY) or {}).get("status")
    return attempt + 1 if ended in RETRYABLE_ENDINGS else attempt
