"""GET /sagas: the visibility store's search attributes, with signed page tokens."""

from dataclasses import dataclass
from datetime import datetime

from temporalio.client import Client, WorkflowExecution, WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from api.sagas.temporal import RPC_TIMEOUT, temporal_errors
from http_contract.errors import DomainError
from http_contract.page_tokens import invalid_page_token, issue_page_token, read_page_token
from workflows.publishing import SAGA_STATUS
from workflows.registry import DEFINITIONS
from workflows.state import CLOSED_STATUSES, SagaStatus


@dataclass
class SagaSummary:
    saga_id: str
    saga_type: str
    status: str
    started_at: datetime
    closed_at: datetime | None


async def list_sagas(
    client: Client,
    saga_type: str | None,
    status: str | None,
    page_size: int,
    page_token: str | None,
    signing_key: bytes,
) -> tuple[list[SagaSummary], str | None]:
    query = visibility_query(saga_type, status)
    token = read_page_token(page_token, query, signing_key)
    iterator = client.list_workflows(
        query, page_size=page_size, next_page_token=token, rpc_timeout=RPC_TIMEOUT
    )
    with temporal_errors():
        try:
            await iterator.fetch_next_page()
        except RPCError as error:
            # The server cannot read a token we did not issue (it answers UNKNOWN for that).
            if token and error.status in (RPCStatusCode.INVALID_ARGUMENT, RPCStatusCode.UNKNOWN):
                raise invalid_page_token() from error
            raise
    sagas = [
        SagaSummary(
            saga_id=execution.id,
            saga_type=execution.workflow_type,
            status=_listed_status(execution),
            started_at=execution.start_time,
            closed_at=execution.close_time,
        )
        for execution in iterator.current_page or []
    ]
    following = iterator.next_page_token
    return sagas, issue_page_token(following, query, signing_key) if following else None


def visibility_query(saga_type: str | None, status: str | None) -> str:
    """Only values from our own vocabulary ever reach the query string."""
    types = [saga_type] if saga_type else sorted(DEFINITIONS)
    for value in types:
        if value not in DEFINITIONS:
            raise DomainError(
                "invalid_saga_type", f"saga_type must be one of {sorted(DEFINITIONS)}"
            )
    # The workflow type, not the SagaType attribute: a workflow of another type that runs a saga
    # definition (a test harness, a tool) sets SagaType too, but is not one of this service's.
    clauses = ["WorkflowType IN (" + ", ".join(f"'{value}'" for value in types) + ")"]
    if status:
        if status not in SagaStatus.__members__:
            raise DomainError(
                "invalid_status", f"status must be one of {[*SagaStatus.__members__]}"
            )
        clauses.append(_status_clause(SagaStatus(status)))
    return " AND ".join(clauses)


# A terminated or failed workflow never got to publish FAILED itself: its SagaStatus is the
# last one it published, so the execution status decides.
ENDED_ABNORMALLY = "ExecutionStatus IN ('Terminated', 'Failed', 'TimedOut', 'Canceled')"


def _status_clause(status: SagaStatus) -> str:
    if status is SagaStatus.FAILED:
        return f"(SagaStatus = 'FAILED' OR {ENDED_ABNORMALLY})"
    if status in CLOSED_STATUSES:
        return f"SagaStatus = '{status}'"
    return f"SagaStatus = '{status}' AND ExecutionStatus = 'Running'"


def _listed_status(execution: WorkflowExecution) -> str:
    if execution.status not in (WorkflowExecutionStatus.RUNNING, WorkflowExecutionStatus.COMPLETED):
        return SagaStatus.FAILED.value
    return execution.typed_search_attributes.get(SAGA_STATUS) or SagaStatus.RUNNING.value
