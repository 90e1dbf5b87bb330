"""Saga-level status: what a workflow query returns and what the API reports."""

from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

T = TypeVar("T")


class SagaStatus(StrEnum):
    RUNNING = "RUNNING"
    COMPENSATING = "COMPENSATING"
    COMPLETED = "COMPLETED"
    COMPENSATED = "COMPENSATED"
    CANCELLED = "CANCELLED"
    NEEDS_ATTENTION = "NEEDS_ATTENTION"
    FAILED = "FAILED"


CLOSED_STATUSES = {
    SagaStatus.COMPLETED,
    SagaStatus.COMPENSATED,
    SagaStatus.CANCELLED,
    SagaStatus.FAILED,
}


class StepStatus(StrEnum):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    COMPENSATING = "COMPENSATING"
    COMPENSATED = "COMPENSATED"
    SKIPPED = "SKIPPED"


@dataclass
class ErrorInfo:
    code: str
    message: str


@dataclass
class OperatorAction:
    actor: str
    at: datetime
    action: str
    reason: str
    step: str | None


@dataclass
class StepState:
    name: str
    kind: str
    status: StepStatus = StepStatus.PENDING
    attempts: int = 0
    error: ErrorInfo | None = None
    compensation: str | None = None
    compensation_attempts: int = 0
    group: str | None = None  # the group it runs in, together with the group's other steps


@dataclass
class SagaState:
    saga_id: str
    saga_type: str
    status: SagaStatus
    steps: list[StepState]
    started_at: datetime
    error: ErrorInfo | None = None
    closed_at: datetime | None = None
    past_pivot: bool = False
    operator_actions: list[OperatorAction] = field(default_factory=list)
    result: dict[str, Any] = field(default_factory=dict)

    def step(self, name: str) -> StepState:
        return next(step for step in self.steps if step.name == name)


@dataclass
class StepCall:
    """The one input of every saga activity. `input` holds what the step takes, under the
    names its definition declares (workflows/dataflow.py); a compensation gets its step's."""

    saga_id: str
    step: str
    role: str  # "action" or "compensation"
    input: dict[str, Any]
    attempt: int = 1  # the saga's attempt under its id (a Cancel Order saga may be tried again)

    def take(self, kind: type[T]) -> T:
        """The input as the activity's typed input (a dataclass): the fields it names."""
        return kind(**{f.name: self.input[f.name] for f in fields(kind)})  # type: ignore[arg-type]

    @property
    def idempotency_key(self) -> str:
        return idempotency_key(self.saga_id, self.attempt, self.step, self.role)


def idempotency_key(saga_id: str, attempt: int, step: str, role: str) -> str:
    """The one place the key format is defined (docs/sagas.md): the first attempt of a saga id
    keeps `{saga_id}:{step}:{role}`; a later attempt (a new run under the same id) is
    `{saga_id}#{attempt}:{step}:{role}`, so participants do not replay an earlier attempt's
    answers to it."""
    run = saga_id if attempt <= 1 else f"{saga_id}#{attempt}"
    return f"{run}:{step}:{role}"


@dataclass
class StepOutcome:
    """What a saga activity returns: the participant's answer and the attempt that got it."""

    body: dict[str, Any]
    attempt: int = 1


@dataclass
class SagaOptions:
    """Per-saga settings, fixed when the saga starts so that replays see the same values."""

    deadline_seconds: float = 300.0
    step_timeout_seconds: float = 10.0
    step_max_attempts: int = 10
    compensation_max_attempts: int = 20
    retry_initial_seconds: float = 0.2
    retry_max_interval_seconds: float = 5.0
    pivot_max_timeout_seconds: float = 600.0  # a pivot's start-to-close timeout doubles up to it
    local_activities: bool = False  # participant calls as local activities (docs/performance.md)


@dataclass
class Resolution:
    """An operator's decision for a saga that needs attention."""

    action: str  # "retry" or "skip"
    reason: str
    actor: str = "operator"
