"""Idempotent commands: the key and the answer are stored in the same transaction as the change."""

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import JSON, Column, Insert, Row, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Field, Session, SQLModel

from http_contract.errors import DomainError, error_body, rejection_headers
from http_contract.header_params import IdempotencyKey
from http_contract.headers import IDEMPOTENT_REPLAYED
from storage.engines import UtcDateTime, table_of
from storage.utc import utcnow

log = logging.getLogger(__name__)

Answer = tuple[int, Any]
ACTION, COMPENSATION = "action", "compensation"
CLAIMED = 0  # the status of a key whose command is running (never committed as such)


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_record"

    key: str = Field(primary_key=True, max_length=300)
    status_code: int
    body: Any = Field(sa_column=Column(JSON, nullable=False))
    # What was asked (method, path, canonical body) under this key; null for a compensation's
    # claim on its action's key, which refuses whatever the late action asks.
    fingerprint: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


# The statements of the hot path, built once: SQLAlchemy Core on the session's connection, so a
# call pays neither for building a statement nor for the ORM's handling of one.
_TABLE = table_of(IdempotencyRecord)
_CLAIMS: dict[str, Insert] = {
    dialect: insert(_TABLE).on_conflict_do_nothing().returning(_TABLE.c.key)
    for dialect, insert in (("postgresql", postgres_insert), ("sqlite", sqlite_insert))
}
_ANSWER = (
    update(_TABLE)
    .where(_TABLE.c.key == bindparam("claimed"))
    .values(status_code=bindparam("answer_status"), body=bindparam("answer_body"))
)
_STORED = select(_TABLE.c.status_code, _TABLE.c.body, _TABLE.c.fingerprint).where(
    _TABLE.c.key == bindparam("key")
)


@dataclass(frozen=True)
class Idempotency:
    """A command's Idempotency-Key and the fingerprint of the request that came with it."""

    key: str
    fingerprint: str


def fingerprint(method: str, path: str, body: bytes) -> str:
    """The request's identity: method, path and body, the body canonical when it is JSON (the
    order of its keys and its spacing do not matter)."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"))
    except ValueError:
        canonical = body.decode(errors="replace")
    return hashlib.sha256(f"{method}\n{path}\n{canonical}".encode()).hexdigest()


async def idempotency_of(request: Request, key: IdempotencyKey = None) -> Idempotency | None:
    if key is None:
        return None
    return Idempotency(key, fingerprint(request.method, request.url.path, await request.body()))


CommandKey = Annotated[Idempotency | None, Depends(idempotency_of)]


def run_idempotent(
    session: Session, key: Idempotency | None, command: Callable[[], Answer]
) -> JSONResponse:
    """Run `command` once per key. Business answers (4xx but 404) are stored and replayed like
    successes; a repeat of a key answers what the first call answered and changes nothing.

    The key is claimed (its row inserted) before the command runs, so a concurrent call with the
    same key - a retry, or the compensation refusing this action - waits for this one to end."""
    if key is None:
        status, body = _answer(session, command)
        session.commit()
        return _respond(status, body)
    if not claim(session, key.key, fingerprint=key.fingerprint):
        return _replay(session, key)
    status, body = _answer(session, command)
    if status == 404:  # nothing happened, and the record may exist later: the claim goes too
        session.rollback()
        return _respond(status, body)
    session.connection().execute(
        _ANSWER, {"claimed": key.key, "answer_status": status, "answer_body": body}
    )
    session.commit()
    return _respond(status, body)


def claim(
    session: Session,
    key: str,
    status: int = CLAIMED,
    body: Any = None,
    fingerprint: str | None = None,
) -> bool:
    """Insert the key's record unless it exists; whether this transaction now owns the key.

    On PostgreSQL the insert waits for a concurrent transaction that inserted the same key, then
    finds its row if it committed; on SQLite writers are serialised anyway."""
    connection = session.connection()
    row = {
        "key": key,
        "status_code": status,
        "body": {} if body is None else body,
        "fingerprint": fingerprint,
        "created_at": utcnow(),
    }
    statement = _CLAIMS[connection.dialect.name]
    return connection.execute(statement, row).first() is not None


def _stored(session: Session, key: str) -> Row[Any, Any, Any] | None:
    """The key's status code, body and fingerprint, if it has a record."""
    return session.connection().execute(_STORED, {"key": key}).first()


def _replay(session: Session, key: Idempotency) -> JSONResponse:
    """The first answer under this key - if it answered the same request."""
    stored = _stored(session, key.key)
    session.commit()
    if stored is None:  # cannot happen: the key's row was there an instant ago and is never deleted
        raise RuntimeError(f"idempotency record {key.key} vanished")
    if stored.fingerprint not in (None, key.fingerprint):
        message = f"Idempotency-Key {key.key} was used for another request"
        return _respond(422, error_body("idempotency_key_reused", message))
    return _respond(stored.status_code, stored.body, replayed=True)


def _answer(session: Session, command: Callable[[], Answer]) -> Answer:
    """The command's answer; a refusal undoes what the command did, but not the key's claim.

    The savepoint is issued in SQL, not through the session: commands write their records and
    events with Core statements (participant_commands.rows), so the session holds nothing of its
    own to restore; what it does hold after a refusal (a record it loaded) is forgotten."""
    connection = session.connection()
    connection.exec_driver_sql(f"SAVEPOINT {_SAVEPOINT}")
    try:
        status, body = command()
    except DomainError as error:
        connection.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}")
        session.expunge_all()
        return error.status, error.body()
    session.flush()  # anything the command left in the session is written inside the savepoint
    connection.exec_driver_sql(f"RELEASE SAVEPOINT {_SAVEPOINT}")
    return status, _json(body)


_SAVEPOINT = "command"


def _json(body: Any) -> Any:
    """The answer as JSON types; a model is dumped directly (its JSON mode is what
    jsonable_encoder would make of it, without walking the result again)."""
    if isinstance(body, BaseModel):
        return body.model_dump(mode="json", by_alias=True)
    return jsonable_encoder(body)


def _respond(status: int, body: Any, replayed: bool = False) -> JSONResponse:
    """A command's answer (or its replay): a refusal carries the business rejection marker."""
    headers = rejection_headers(status, body) or {}
    if replayed:
        headers[IDEMPOTENT_REPLAYED] = "true"
    return JSONResponse(body, status_code=status, headers=headers)


def action_key_of(compensation_key: str | None) -> str | None:
    """`{saga_id}:{step}:compensation` → `{saga_id}:{step}:action`; None for any other key."""
    if compensation_key is None or not compensation_key.endswith(f":{COMPENSATION}"):
        return None
    return compensation_key.removesuffix(COMPENSATION) + ACTION


def action_refused(session: Session, action_key: str) -> bool:
    """Whether the action was answered with an error: then it changed nothing, and its
    compensation has nothing to undo whatever state the record is in now."""
    stored = _stored(session, action_key)
    return stored is not None and stored.status_code >= 400


def refuse_late_action(session: Session, compensation_key: str | None) -> bool:
    """Claim the key of the action this compensation undoes, so that the action, if it arrives
    later, is refused; whether the claim was new (then the action never ran).

    A running action holds its key's claim until it commits, so this waits for it: the
    compensation then sees what the action did. Keys look like `{saga_id}:{step}:compensation`;
    the matching action key ends in `:action`; other keys claim nothing.
    """
    action_key = action_key_of(compensation_key)
    if action_key is None:
        return False
    body = error_body("already_compensated", "this step was compensated before it arrived")
    if not claim(session, action_key, 409, body):
        return False
    log.info(
        "compensation %s arrived first; action %s will be refused", compensation_key, action_key
    )
    return True
