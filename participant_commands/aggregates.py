"""The commands a participant runs on its aggregates: create, change, compensate.

A record and its event are written in one transaction, the event carrying the whole public record
after the change; every command runs once per idempotency key (`run_idempotent`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
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


class Record(Protocol):
    def public(self) -> BaseModel: ...


class StatefulRecord(Record, Protocol):
    @property
    def state(self) -> StrEnum: ...


R = TypeVar("R", bound=Record)
S = TypeVar("S", bound=StatefulRecord)


@dataclass(frozen=True)
class Aggregate(Generic[R]):
    """One kind of aggregate: its table, its `kind` (the events' aggregate type and the prefix of its
    error codes), the attribute that is its id, and how to say that one is missing or exists."""

    model: type[R]
    kind: str
    id_field: str = "id"
    missing: str = "{kind} {id} not found"
    exists: str = "{kind} {id} exists already"

    def load(self, session: Session, record_id: str, *, for_update: bool = False) -> R:
        record = session.get(self.model, record_id, with_for_update=for_update)
        if record is None:
            raise NotFound(f"{self.kind}_not_found", self._say(self.missing, record_id))
        return record

    def ensure_new(self, session: Session, record_id: str | None) -> None:
        if record_id is not None and session.get(self.model, record_id) is not None:
            raise Conflict(f"{self.kind}_exists", self._say(self.exists, record_id))

    def save(self, session: Session, record: R, event_type: str, /, **context: Any) -> BaseModel:
        """Add `record` and its event (the public record and `context`); answer the public record."""
        session.add(record)
        public = record.public()
        payload = public.model_dump(mode="json") | context
        record_event(session, event_type, self.kind, getattr(record, self.id_field), payload)
        return public

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
        change: Callable[[R], None],
        event_type: str,
    ) -> JSONResponse:
        """`200` and the record after `change`, a business rule that may refuse."""

        def forward() -> Answer:
            record = self.load(session, record_id, for_update=True)
            change(record)
            return 200, self.save(session, record, event_type)

        return run_idempotent(session, key, forward)

    def _say(self, template: str, record_id: str) -> str:
        return template.format(kind=self.kind, id=record_id)


class Compensatable(Aggregate[S]):
    """An aggregate that a saga step changes and the step's compensation changes back.

    Sagas compensate per order, so the answer for nothing to undo names the order id.
    """

    def compensate(
        self,
        session: Session,
        key: Idempotency | None,
        record_id: str,
        change: Callable[[S], None],
        event_type: str,
        *,
        undoes: StrEnum,
        undone: StrEnum,
    ) -> JSONResponse:
        """Undo the action that put the record in `undoes`. Nothing to undo (no record, a record
        already `undone`, an action that was refused or never ran) is a success too, and refuses a
        late action: the compensation claims the action's key first, so a running action finishes
        before the compensation looks at the record, and a later one finds the claim."""

        def compensate() -> Answer:
            compensation_key = key.key if key else None
            if refuse_late_action(
                session, compensation_key
            ):  # the action never ran and now never will
                return 200, self._nothing_undone(session.get(self.model, record_id), record_id)
            record = session.get(self.model, record_id, with_for_update=True)
            action_key = action_key_of(compensation_key)
            if action_key is not None and action_refused(session, action_key):
                return 200, self._nothing_undone(record, record_id)
            if record is not None and record.state == undoes:
                change(record)
                return 200, self.save(session, record, event_type)
            if record is None or record.state == undone:
                return 200, self._nothing_undone(record, record_id)
            message = f"{self.kind} {record_id} is {record.state}"
            raise Conflict(f"{self.kind}_not_compensatable", message)

        return run_idempotent(session, key, compensate)

    @staticmethod
    def _nothing_undone(record: S | None, record_id: str) -> dict[str, Any]:
        return {"order_id": record_id, "state": record and record.state, "compensated": False}
