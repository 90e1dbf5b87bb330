"""Saga definitions are data: one line per step, read like the table in the design.

CREATE_ORDER = saga(
    "CreateOrder",
    compensatable("create_order", "orders.create_order", "orders.reject_order", takes="order_id", gives="total_cents"),
    group(
        compensatable("verify_consumer", "consumers.verify_consumer", takes="order_id"),
        compensatable("create_ticket", "kitchen.create_ticket", "kitchen.reject_ticket", takes="order_id"),
    ),
    pivot("authorize_card", "accounting.authorize_card", takes="order_id amount_cents=create_order.total_cents"),
    retriable("approve_order", "orders.approve_order", takes="order_id"),
    inputs="order_id",
)

Each step takes values from the saga input and from earlier steps' results, by name, and gives
the names later steps may take (workflows/dataflow.py). The steps of a `group` run concurrently.
"""

from dataclasses import dataclass, replace
from enum import StrEnum

from workflows.dataflow import InvalidSagaDefinition, Take, check_takes, parse_gives, parse_takes

__all__ = ["InvalidSagaDefinition"]


class StepKind(StrEnum):
    COMPENSATABLE = "compensatable"
    PIVOT = "pivot"
    RETRIABLE = "retriable"


@dataclass(frozen=True)
class Step:
    name: str
    action: str
    compensation: str | None
    kind: StepKind
    takes: tuple[Take, ...] = ()
    gives: tuple[str, ...] = ()
    group: str | None = None  # the steps of one group run concurrently


@dataclass(frozen=True)
class Group:
    name: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class SagaDefinition:
    saga_type: str
    steps: tuple[Step, ...]
    version: int = 1
    inputs: tuple[str, ...] = ()  # the saga input's fields that steps may take

    def __post_init__(self) -> None:
        validate(self)

    def step(self, name: str) -> Step:
        return next(step for step in self.steps if step.name == name)

    @property
    def pivot_index(self) -> int | None:
        kinds = [step.kind for step in self.steps]
        return kinds.index(StepKind.PIVOT) if StepKind.PIVOT in kinds else None

    @property
    def stages(self) -> tuple[tuple[Step, ...], ...]:
        """The steps in the order they run: a lone step, or a group's steps together."""
        stages: list[list[Step]] = []
        for step in self.steps:
            if stages and step.group is not None and stages[-1][0].group == step.group:
                stages[-1].append(step)
            else:
                stages.append([step])
        return tuple(tuple(stage) for stage in stages)


def compensatable(
    name: str, action: str, compensation: str | None = None, *, takes: str = "", gives: str = ""
) -> Step:
    """A step that can be undone (read-only steps have nothing to undo); its compensation takes
    what the step takes."""
    kind = StepKind.COMPENSATABLE
    return Step(name, action, compensation, kind, parse_takes(takes), parse_gives(gives))


def pivot(name: str, action: str, *, takes: str = "", gives: str = "") -> Step:
    """The go/no-go step: once it succeeds the saga runs to completion."""
    return Step(name, action, None, StepKind.PIVOT, parse_takes(takes), parse_gives(gives))


def retriable(name: str, action: str, *, takes: str = "", gives: str = "") -> Step:
    """A step after the pivot: retried until it succeeds."""
    return Step(name, action, None, StepKind.RETRIABLE, parse_takes(takes), parse_gives(gives))


def group(*steps: Step, name: str | None = None) -> Group:
    """Steps that run concurrently; named after its steps unless `name` is given."""
    name = name or "+".join(step.name for step in steps)
    return Group(name, tuple(replace(step, group=name) for step in steps))


def saga(
    saga_type: str, *items: Step | Group, inputs: str = "", version: int = 1
) -> SagaDefinition:
    groups = [item for item in items if isinstance(item, Group)]
    if len({g.name for g in groups}) != len(groups):
        raise InvalidSagaDefinition(f"{saga_type}: group names must be unique")
    for item in groups:
        if len(item.steps) < 2:
            raise InvalidSagaDefinition(f"{saga_type}.{item.name}: a group has two steps or more")
    steps = tuple(s for item in items for s in (item.steps if isinstance(item, Group) else [item]))
    return SagaDefinition(saga_type, steps, version, parse_gives(inputs))


def validate(definition: SagaDefinition) -> None:
    """At most one pivot; retriable steps only after it and without compensation; groups of
    compensatable steps only; each step takes only what exists before its stage."""
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
    _validate_stages(definition)


def _validate_step(saga_type: str, step: Step, index: int, pivot_at: int | None) -> None:
    where = f"{saga_type}.{step.name}"
    if step.kind is StepKind.RETRIABLE and (pivot_at is None or index < pivot_at):
        raise InvalidSagaDefinition(f"{where}: a retriable step must come after the pivot")
    if step.kind is not StepKind.COMPENSATABLE and step.compensation is not None:
        raise InvalidSagaDefinition(f"{where}: only compensatable steps have compensations")
    if step.kind is StepKind.COMPENSATABLE and pivot_at is not None and index > pivot_at:
        raise InvalidSagaDefinition(f"{where}: compensatable steps come before the pivot")


def _validate_stages(definition: SagaDefinition) -> None:
    gives: dict[str, tuple[str, ...]] = {}
    for stage in definition.stages:
        for step in stage:
            where = f"{definition.saga_type}.{step.name}"
            if len(stage) > 1 and step.kind is not StepKind.COMPENSATABLE:
                # A pivot must decide alone; a retriable step must not start before it decided.
                raise InvalidSagaDefinition(f"{where}: only compensatable steps run in a group")
            check_takes(where, step.takes, definition.inputs, gives)
        gives.update((step.name, step.gives) for step in stage)
