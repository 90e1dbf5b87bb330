"""The commands a participant runs on its aggregates: create, change, compensate.

A record and its event are written in one transaction, the event carrying the whole public record
after the change; every command runs once per idempotency key (`run_idempotent`).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, Protocol, TypeVar

from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlmodel import Session

from event_feed.outbox import record_event
from http_contract.errors import Conflict, NotFound
from participant_commands.idempotency import (
    Answer,
    Idempotency,
    action_key_of,
    action_refused,
    refuse_late_action,
    run_idempotent,
)
from participant_commands.rows import Rows
from participant_commands.state_changes import Given, StateChange


class Record(Protocol):
    def public(self) -> BaseModel: ...


R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class Aggregate(Generic[R]):
    """One kind of aggregate: its table, its `kind` (the events' aggregate type and the prefix of its
    error codes), the attribute that is its id, how to say that one is missing or exists, and its
    table of state changes.

    Sagas compensate per order, so the answer for nothing to undo names the order id.
    """

    model: type[R]
    kind: str
    id_field: str = "id"
    missing: str = "{kind} {id} not found"
    exists: str = "{kind} {id} exists already"
    changes: Mapping[str, StateChange] = field(default_factory=dict)

    def load(self, session: Session, record_id: str, *, for_update: bool = False) -> R:
        record = self.fetch(session, record_id, for_update=for_update)
        if record is None:
            raise NotFound(f"{self.kind}_not_found", self._say(self.missing, record_id))
        return record

    def fetch(self, session: Session, record_id: str, *, for_update: bool = False) -> R | None:
        """The record with this id, or None: read with Core, in the session's transaction, and
        written back by `save` (no session tracks it). `for_update` locks it on PostgreSQL."""
        session.flush()  # what the session holds is written first, as a query would
        record: R | None = self._rows.fetch(session.connection(), record_id, for_update=for_update)
        return record

    def ensure_new(self, session: Session, record_id: str | None) -> None:
        if record_id is None:
            return
        session.flush()
        if self._rows.has(session.connection(), record_id):
            raise Conflict(f"{self.kind}_exists", self._say(self.exists, record_id))

    @cached_property
    def _rows(self) -> Rows:
        return Rows(self.model, self.id_field)  # type: ignore[arg-type]

    def save(self, session: Session, record: R, event_type: str, /, **context: Any) -> BaseModel:
        """Write `record` and its event (the public record and `context`); answer the public
        record. A new record, or one read by `fetch`, is written with Core; one a session
        loaded is left to that session."""
        if Rows.is_ours(record):
            self._rows.write(session.connection(), record)
        else:
            session.add(record)
        public = record.public()
        payload = public.model_dump(mode="json") | context
        record_event(session, event_type, self.kind, getattr(record, self.id_field), payload)
        return public

    def change(self, path: str, record: Any, given: Given = Given()) -> None:
        """Apply the state change posted at `path` to `record` (a business rule may refuse)."""
        name = f"{self.kind} {getattr(record, self.id_field)}"
        self.changes[path].apply(record, name, given)

    def create(
        self,
        session: Session,
        key: Idempotency | None,
        record_id: str | None,
        make: Callable[[], R],
        event_type: str,
    ) -> JSONResponse:
        """`201` and the record `make` gives; `409 <kind>_exists` if `record_id` is taken."""

        def create() -> Answer:
            self.ensure_new(session, record_id)
            return 201, self.save(session, make(), event_type)

        return run_idempotent(session, key, create)

    def forward(
        self,
        session: Session,
        key: Idempotency | None,
        record_id: str,
        change: Callable[[R], bool | None],
        event_type: str,
    ) -> JSONResponse:
        """`200` and the record after `change`, a business rule that may refuse; a change that
        returns False changed nothing, and nothing is saved nor published."""

        def forward() -> Answer:
            record = self.load(session, record_id, for_update=True)
            if change(record) is False:
                return 200, record.public()
            return 200, self.save(session, record, event_type)

        return run_idempotent(session, key, forward)

    def run_change(
        self, session: Session, key: Idempotency | None, record_id: str, path: str, body: Any
    ) -> JSONResponse:
        """The state change posted at `path`: forward, or the compensation it is."""
        change = self.changes[path]
        given = Given(session, body)
        if change.compensates:
            return self.compensate(session, key, record_id, change)
        if change.refuse_missing:
            return run_idempotent(
                session, key, lambda: self._change_or_refuse(session, record_id, change, given)
            )
        return self.forward(
            session, key, record_id, lambda r: self.change(path, r, given), change.event
        )

    def _change_or_refuse(
        self, session: Session, record_id: str, change: StateChange, given: Given
    ) -> Answer:
        record: Any = self.fetch(session, record_id, for_update=True)
        if record is None:
            raise Conflict(change.refusal, self._say(self.missing, record_id))
        self.change(change.path, record, given)
        return 200, self.save(session, record, change.event)

    def compensate(
        self, session: Session, key: Idempotency | None, record_id: str, change: StateChange
    ) -> JSONResponse:
        """Undo the action that put the record in the change's source state. Nothing to undo (no
        record, a record already in its target state, an action that was refused or never ran)
        is a success too, and refuses a late action: the compensation claims the action's key
        first, so a running action finishes before the compensation looks at the record, and a
        later one finds the claim."""
        (undoes,) = change.sources

        def compensate() -> Answer:
            compensation_key = key.key if key else None
            if refuse_late_action(
                session, compensation_key
            ):  # the action never ran and now never will
                return 200, self._nothing_undone(self.fetch(session, record_id), record_id)
            record: Any = self.fetch(session, record_id, for_update=True)
            action_key = action_key_of(compensation_key)
            if action_key is not None and action_refused(session, action_key):
                return 200, self._nothing_undone(record, record_id)
            if record is not None and record.state == undoes:
                self.change(change.path, record)
                return 200, self.save(session, record, change.event)
            if record is None or record.state == change.target:
                return 200, self._nothing_undone(record, record_id)
            message = f"{self.kind} {record_id} is {record.state}"
            raise Conflict(f"{self.kind}_not_compensatable", message)

        return run_idempotent(session, key, compensate)

    def _say(self, template: str, record_id: str) -> str:
        return template.format(kind=self.kind, id=record_id)

    @staticmethod
    def _nothing_undone(record: Any, record_id: str) -> dict[str, Any]:
        return {"order_id": record_id, "state": record and record.state, "compensated": False}
