"""A participant's state changes as data: one row per command, read like a state table.

A row says where the command is posted, from which states it may run, the state it leaves the
record in, the event it records and the business error that refuses it in any other state.
`move` is the one state-machine step every participant uses.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel
from sqlmodel import Session

from http_contract.errors import Conflict
from storage.utc import utcnow


class Stateful(Protocol):
    state: Any
    updated_at: Any


def move(
    record: Stateful, name: str, sources: Collection[StrEnum], target: StrEnum, refusal: str
) -> None:
    """`record` (called `name` in the message) goes from one of `sources` to `target`;
    `409 <refusal>` from any other state."""
    if record.state not in sources:
        raise Conflict(refusal, f"{name} is {record.state}, cannot become {target}")
    record.state = target
    record.updated_at = utcnow()


@dataclass(frozen=True)
class Given:
    """What a state change may use besides its record: the session and the request body."""

    session: Session | None = None
    body: Any = None


# What else a change does to its record once the state has moved (it may still refuse).
Effect = Callable[[Any, Given], None]


@dataclass(frozen=True)
class StateChange:
    """`POST /{id}/<path>`: from one of `sources` to `target`, recording `event`; any other state
    is refused with `409 <refusal>`. A compensation undoes the action that left the record in
    its (single) source state, and finds nothing to undo in `target`."""

    path: str
    sources: tuple[StrEnum, ...]
    target: StrEnum
    event: str
    refusal: str
    compensates: bool = False
    then: Effect | None = None
    body: type[BaseModel] | None = None
    summary: str = ""
    refuse_missing: bool = False  # no record is refused like a wrong state (409), not 404

    def move(self, record: Stateful, name: str) -> None:
        """The state step alone, without the change's effect."""
        move(record, name, self.sources, self.target, self.refusal)

    def apply(self, record: Stateful, name: str, given: Given = Given()) -> None:
        self.move(record, name)
        if self.then is not None:
            self.then(record, given)


def table(*changes: StateChange) -> dict[str, StateChange]:
    """The rows by path; a path stands once."""
    rows = {change.path: change for change in changes}
    if len(rows) != len(changes):
        raise ValueError("two state changes share a path")
    return rows
