"""Saga definitions are data: one line per step, read like the table in the design.

CREATE_ORDER = saga(
    "CreateOrder",
    compensatable("create_order", "orders.create_order", compensation="orders.reject_order"),
    pivot("authorize_card", "accounting.authorize_card"),
    retriable("approve_order", "orders.approve_order"),
)
"""

from dataclasses import dataclass
from enum import StrEnum


class StepKind(StrEnum):
    COMPENSATABLE = "compensatable"
    PIVOT = "pivot"
    RETRIABLE = "retriable"


class InvalidSagaDefinition(ValueError):
    pass


@dataclass(frozen=True)
class Step:
    name: str
    action: str
    compensation: str | None
    kind: StepKind


@dataclass(frozen=True)
class SagaDefinition:
    saga_type: str
    steps: tuple[Step, ...]
    version: int = 1

    def __post_init__(self) -> None:
        validate(self)

    def step(self, name: str) -> Step:
        return next(step for step in self.steps if step.name == name)

    @property
    def pivot_index(self) -> int | None:
        kinds = [step.kind for step in self.steps]
        return kinds.index(StepKind.PIVOT) if StepKind.PIVOT in kinds else None


def compensatable(name: str, action: str, compensation: str | None = None) -> Step:
    """A step that can be undone (read-only steps have nothing to undo)."""
    return Step(name, action, compensation, StepKind.COMPENSATABLE)


def pivot(name: str, action: str) -> Step:
    """The go/no-go step: once it succeeds the saga runs to completion."""
    return Step(name, action, None, StepKind.PIVOT)


def retriable(name: str, action: str) -> Step:
    """A step after the pivot: retried until it succeeds."""
    return Step(name, action, None, StepKind.RETRIABLE)


def saga(saga_type: str, *steps: Step) -> SagaDefinition:
    return SagaDefinition(saga_type, steps)


def validate(definition: SagaDefinition) -> None:
    """At most one pivot; retriable steps only after it and without compensation."""
    steps = definition.steps
    if not steps:
        raise InvalidSagaDefinition(f"{definition.saga_type}: a saga needs at least one step")
    names = [step.name for step in steps]
    if len(set(names)) != len(names):
        raise InvalidSagaDefinition(f"{definition.saga_type}: step names must be unique")
    pivots = [i for i, step in enumerate(steps) if step.kind is StepKind.PIVOT]
    if len(pivots) > 1:
        raise InvalidSagaDefinition(f"{definition.saga_type}: at most one pivot step")
    for index, step in enumerate(steps):
        _validate_step(definition.saga_type, step, index, pivots[0] if pivots else None)


def _validate_step(saga_type: str, step: Step, index: int, pivot_at: int | None) -> None:
    where = f"{saga_type}.{step.name}"
    if step.kind is StepKind.RETRIABLE and (pivot_at is None or index < pivot_at):
        raise InvalidSagaDefinition(f"{where}: a retriable step must come after the pivot")
    if step.kind is not StepKind.COMPENSATABLE and step.compensation is not None:
        raise InvalidSagaDefinition(f"{where}: only compensatable steps have compensations")
    if step.kind is StepKind.COMPENSATABLE and pivot_at is not None and index > pivot_at:
        raise InvalidSagaDefinition(f"{where}: compensatable steps come before the pivot")
