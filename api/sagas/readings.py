"""What the saga status projection keeps (api/sagas/projection.py): its limits, a reading of one
saga's state, the follower that keeps it current, and the counters that show what it did."""

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from temporalio.client import WorkflowExecutionDescription

from api.sagas.status import definition_of
from workflows.publishing import STEP_PREFIX
from workflows.state import CLOSED_STATUSES, SagaState


@dataclass(frozen=True)
class ProjectionLimits:
    followers: int = 10_000  # beyond this, reads describe and waits follow per client
    idle_seconds: float = 60.0  # a follower no client read for this long ends
    closed_kept: int = 10_000  # final states of closed sagas kept in memory (LRU)
    live_refresh_seconds: float = 1.0  # a live step is described at most this often


@dataclass(frozen=True)
class Reading:
    """A saga's state, the history length it was read at, and the run it belongs to; with the
    description and memo it was made of, onto which the memo upserts that follow are folded."""

    state: SagaState
    seen: int
    run_id: str
    description: WorkflowExecutionDescription | None = None
    memo: dict[str, Any] | None = None
    pending: tuple[Any, ...] = ()  # the description's pending activities still current

    @property
    def closed(self) -> bool:
        return self.state.status in CLOSED_STATUSES

    def newer_than(self, other: "Reading") -> bool:
        if self.run_id != other.run_id:  # a later run under the same id
            return self.state.started_at >= other.state.started_at
        return self.seen >= other.seen


@dataclass
class Counters:
    started: int = 0  # followers started
    closed: int = 0  # ... that ended with their saga
    evicted: int = 0  # ... that ended because no client read the saga for a while
    dropped: int = 0  # ... whose stream failed (the server went away)
    refused: int = 0  # followers not started: the cap was reached
    memory_reads: int = 0  # reads answered from memory
    describes: int = 0  # reads that described the saga (not followed yet, or past the cap)
    folds: int = 0  # memo upserts folded into a followed state (no server call)
    change_describes: int = 0  # describes by followers after another history event
    live_refreshes: int = 0  # describes by followers for a live step's attempts


@dataclass
class Follower:
    saga_id: str
    reading: Reading | None = None
    version: int = 0  # how many times the state changed
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    live: asyncio.Event = field(default_factory=asyncio.Event)
    last_read: float = field(default_factory=time.monotonic)  # read or waited on
    last_polled: float = 0.0  # read (a waiting client does not show live attempts)
    waiters: int = 0
    tasks: list["asyncio.Task[None]"] = field(default_factory=list)


def still_pending(base: Reading, memo: dict[str, Any], upserted: set[str]) -> tuple[Any, ...]:
    """The pending activities described last, less those of the steps the saga published again
    since: their attempts and errors are the memo's now (a new round of a step's retries starts
    from nothing)."""
    assert base.description is not None
    definition = definition_of(base.state.saga_id, base.description.workflow_type, memo)
    republished = [s for s in definition.steps if STEP_PREFIX + s.name in upserted]
    activities = {name for s in republished for name in (s.action, s.compensation) if name}
    return tuple(a for a in base.pending if a.activity_type.name not in activities)
