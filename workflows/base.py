"""One workflow class per saga type, generated from its definition versions (docs/sagas.md).

Each class runs the engine, answers the status query and the resolve update, and picks the
definition version its saga runs.

A saga keeps the version it started with: at its first workflow task the worker records a patch
marker `<SagaType>.v<n>` for the newest version n (none when that is 1); a replay finds the marker
(or none: version 1, also for sagas from before versions existed) and picks the same version.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from workflows.definition import SagaDefinition
    from workflows.engine import SagaRun, saga_data
    from workflows.publishing import VERSION_KEY
    from workflows.state import Resolution, SagaState

STATUS_QUERY = "status"
RESOLVE_UPDATE = "resolve"
ID = "[A-Za-z0-9_-]{1,64}"  # an id a saga id is composed from (DESIGN §5)


class RetiredVersion(RuntimeError):
    """A saga started on a version no longer registered: the workflow task fails (and is
    retried) until a worker that knows the version runs it."""


def version_marker(definition: SagaDefinition) -> str:
    return f"{definition.saga_type}.v{definition.version}"


def running_version(versions: Sequence[SagaDefinition]) -> SagaDefinition:
    """The version this saga runs: newest first, the first whose marker is (or, on a first
    execution, is now) in the history; without any marker, version 1."""
    for definition in reversed(versions):
        if definition.version > 1 and workflow.patched(version_marker(definition)):
            return definition
    if versions[0].version != 1:
        raise RetiredVersion(f"{versions[0].saga_type} version 1 is no longer registered")
    return versions[0]


class SagaWorkflow:
    """What every generated saga workflow shares; `saga_workflow` makes the subclasses."""

    versions: tuple[SagaDefinition, ...]

    def _start(self, saga_input: Any) -> None:
        definition = running_version(self.versions)
        attempt = int(getattr(saga_input, "attempt", 1))
        saga_id = workflow.info().workflow_id
        self.saga = SagaRun(definition, saga_id, saga_data(saga_input), saga_input.options, attempt)
        self.saga.publisher.publish_once(VERSION_KEY, definition.version)

    @workflow.query(name=STATUS_QUERY)
    def status(self) -> SagaState:
        return self.saga.state

    @workflow.update(name=RESOLVE_UPDATE)
    def resolve(self, resolution: Resolution) -> SagaState:
        return self.saga.resolve(resolution)

    @resolve.validator
    def validate_resolve(self, resolution: Resolution) -> None:
        self.saga.validate_resolution(resolution)


# The sandbox imports a workflow class by its module and name: generated classes live here.
_GENERATED: dict[str, type[SagaWorkflow]] = {}


def __getattr__(name: str) -> type[SagaWorkflow]:
    try:
        return _GENERATED[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def saga_workflow(versions: Sequence[SagaDefinition], input_type: type) -> type[SagaWorkflow]:
    """The workflow class of one saga type: named after it, taking `input_type` (a dataclass
    with `options`, and `attempt` when a saga id may be tried again)."""

    def __init__(self: SagaWorkflow, saga_input: Any) -> None:
        self._start(saga_input)

    async def run(self: SagaWorkflow, saga_input: Any) -> SagaState:
        return await self.saga.execute()

    saga_type = versions[-1].saga_type
    name = _free_name(f"{saga_type}Workflow")
    for method in (__init__, run):  # Temporal refuses local names; the converter reads hints
        method.__qualname__ = f"{name}.{method.__name__}"
        method.__annotations__ |= {"saga_input": input_type}
        del method.__annotations__["self"]  # annotated for the type checker only: not an input
    body = {"__init__": workflow.init(__init__), "run": workflow.run(run), "__module__": __name__}
    generated = type(name, (SagaWorkflow,), body | {"versions": tuple(versions)})
    _GENERATED[name] = generated
    return workflow.defn(name=saga_type)(generated)


def _free_name(name: str) -> str:
    """Two registries may hold the same type (a test's older worker): each class its own name."""
    candidates = [name, *(f"{name}{n}" for n in range(2, len(_GENERATED) + 3))]
    return next(candidate for candidate in candidates if candidate not in _GENERATED)


@dataclass(frozen=True)
class SagaType:
    """One saga type: its definition versions, oldest first (new sagas take the newest), its
    input dataclass and the workflow class generated from them."""

    versions: tuple[SagaDefinition, ...]
    input_type: type
    saga_id: str = ""  # its saga ids, a regular expression; default `<saga-type>-<id>`
    workflow: type[SagaWorkflow] = field(init=False)

    def __post_init__(self) -> None:
        _check_versions(self.versions)
        object.__setattr__(self, "workflow", saga_workflow(self.versions, self.input_type))
        if not self.saga_id:
            kebab = re.sub(r"(?<!^)(?=[A-Z])", "-", self.name).lower()
            object.__setattr__(self, "saga_id", f"{kebab}-{ID}")

    @property
    def name(self) -> str:
        return self.versions[-1].saga_type

    @property
    def newest(self) -> SagaDefinition:
        return self.versions[-1]


def _check_versions(versions: Sequence[SagaDefinition]) -> None:
    if not versions:
        raise ValueError("a saga type needs at least one definition version")
    if len({d.saga_type for d in versions}) != 1:
        raise ValueError("the versions of a saga type must share its name")
    numbers = [d.version for d in versions]
    if numbers != sorted(set(numbers)):
        raise ValueError(f"{versions[0].saga_type}: versions must increase: {numbers}")


class Registry:
    """The saga types a worker runs and the API knows."""

    def __init__(self, *types: SagaType) -> None:
        self.types = {saga_type.name: saga_type for saga_type in types}
        if len(self.types) != len(types):
            raise ValueError("saga type names must be unique")

    @property
    def workflows(self) -> list[type]:
        return [saga_type.workflow for saga_type in self.types.values()]

    @property
    def newest(self) -> dict[str, SagaDefinition]:
        return {name: saga_type.newest for name, saga_type in self.types.items()}

    def definition(self, saga_type: str, version: int = 1) -> SagaDefinition | None:
        """The definition a saga of `saga_type` runs (`version` from its memo; absent: 1)."""
        known = self.types.get(saga_type)
        versions = known.versions if known else ()
        return next((d for d in versions if d.version == version), None)

    def saga_id_pattern(self) -> str:
        """Every registered type's saga ids: the API refuses any other in a path."""
        return f"^({'|'.join(saga_type.saga_id for saga_type in self.types.values())})$"

    def activity_names(self) -> set[str]:
        """Every action and compensation any registered version calls."""
        steps = [s for t in self.types.values() for d in t.versions for s in d.steps]
        return {s.action for s in steps} | {s.compensation for s in steps if s.compensation}
