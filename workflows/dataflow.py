"""Declared data flow between saga steps: what a step takes, and from where.

A step's `takes` is a space-separated list of sources, each `[name=]source`:

* `order_id` — a field of the saga input;
* `create_order.total_cents` — a value an earlier step gives (its result's `total_cents`);
  a longer path reads inside it (`begin_revise.pending_revision.total_cents`);
* `amount_cents=create_order.total_cents` — the same, under the name the activity knows.

Without `name=`, the name is the source's last part. A step's `gives` names what later steps may
take from its result. The engine builds each activity's input from these declarations only, so an
activity sees the names it asked for and never another step's name.
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any


class InvalidSagaDefinition(ValueError):
    pass


@dataclass(frozen=True)
class Take:
    """One value a step takes: `name` in the activity's input, read from `path` of the saga
    input (`step` None) or of an earlier step's result."""

    name: str
    step: str | None
    path: tuple[str, ...]

    def __str__(self) -> str:
        source = ".".join(filter(None, (self.step, *self.path)))
        return source if self.name == self.path[-1] else f"{self.name}={source}"


def parse_takes(text: str) -> tuple[Take, ...]:
    takes = tuple(_parse_take(word) for word in text.split())
    names = [take.name for take in takes]
    if len(set(names)) != len(names):
        raise InvalidSagaDefinition(f"{text!r}: a name is taken twice")
    return takes


def parse_gives(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _parse_take(word: str) -> Take:
    name, _, source = word.rpartition("=")
    parts = tuple(source.split("."))
    if not all(part.isidentifier() for part in parts) or (name and not name.isidentifier()):
        raise InvalidSagaDefinition(
            f"{word!r}: expected [name=]field or [name=]step.field[.field...]"
        )
    step, path = (None, parts) if len(parts) == 1 else (parts[0], parts[1:])
    return Take(name or path[-1], step, path)


def saga_data(saga_input: Any) -> dict[str, Any]:
    """The saga input as the plain data steps take from (without the options)."""
    data = asdict(saga_input)
    data.pop("options", None)
    data.pop("attempt", None)
    return data


def step_input(
    takes: tuple[Take, ...], saga_input: Mapping[str, Any], results: Mapping[str, Any]
) -> dict[str, Any]:
    """A step's activity input: each declared value, under its name."""
    return {take.name: _read(take, saga_input, results) for take in takes}


def kept(gives: tuple[str, ...], result: Mapping[str, Any]) -> dict[str, Any]:
    """What the saga keeps of a step's result: only what later steps may take."""
    return {name: result[name] for name in gives if name in result}


def _read(take: Take, saga_input: Mapping[str, Any], results: Mapping[str, Any]) -> Any:
    value: Any = saga_input if take.step is None else results[take.step]
    for part in take.path:
        if not isinstance(value, Mapping) or part not in value:
            raise InvalidSagaDefinition(f"{take}: no {part!r} in what the saga has")
        value = value[part]
    return value


def check_takes(
    where: str,
    takes: tuple[Take, ...],
    inputs: tuple[str, ...],
    gives: Mapping[str, tuple[str, ...]],
) -> None:
    """A step takes only saga input fields and what steps of earlier stages give (`gives`: the
    steps that ran before this step's stage, by name)."""
    for take in takes:
        if take.step is None and take.path[0] not in inputs:
            raise InvalidSagaDefinition(f"{where}: the saga input has no field {take.path[0]!r}")
        if take.step is not None and take.step not in gives:
            raise InvalidSagaDefinition(f"{where}: {take.step!r} is not a step of an earlier stage")
        if take.step is not None and take.path[0] not in gives[take.step]:
            raise InvalidSagaDefinition(f"{where}: {take.step} gives no {take.path[0]!r}")
