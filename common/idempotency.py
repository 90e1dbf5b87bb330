"""Idempotent commands: the key and the answer are stored in the same transaction as the change."""

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Header
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy import JSON, Column
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel

from common.db import UtcDateTime
from common.errors import DomainError, error_body

log = logging.getLogger(__name__)

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=300)]
Answer = tuple[int, Any]
ACTION, COMPENSATION = "action", "compensation"


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_record"

    key: str = Field(primary_key=True, max_length=300)
    status_code: int
    body: Any = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC), sa_type=UtcDateTime)


def utcnow() -> datetime:
    return datetime.now(UTC)


def run_idempotent(
    session: Session, key: str | None, command: Callable[[], Answer]
) -> JSONResponse:
    """Run `command` once per key. Business answers (4xx but 404) are stored and replayed like
    successes; a repeat of a key answers what the first call answered and changes nothing."""
    if key is not None and (stored := session.get(IdempotencyRecord, key)) is not None:
        return _respond(stored.status_code, stored.body, replayed=True)
    status, body = _answer(session, command)
    if key is None or status == 404:  # nothing happened, and the record may exist later
        session.commit()
        return _respond(status, body)
    session.add(IdempotencyRecord(key=key, status_code=status, body=body))
    try:
        session.commit()
    except IntegrityError:  # a concurrent call with the same key won the race
        session.rollback()
        winner = session.get(IdempotencyRecord, key)
        if winner is None:
            raise
        return _respond(winner.status_code, winner.body, replayed=True)
    return _respond(status, body)


def _answer(session: Session, command: Callable[[], Answer]) -> Answer:
    try:
        status, body = command()
        return status, jsonable_encoder(body)
    except DomainError as error:
        session.rollback()
        return error.status, error.body()


def _respond(status: int, body: Any, replayed: bool = False) -> JSONResponse:
    headers = {"Idempotent-Replayed": "true"} if replayed else None
    return JSONResponse(body, status_code=status, headers=headers)


def action_key_of(compensation_key: str | None) -> str | None:
    """`{saga_id}:{step}:compensation` → `{saga_id}:{step}:action`; None for any other key."""
    if compensation_key is None or not compensation_key.endswith(f":{COMPENSATION}"):
        return None
    return compensation_key.removesuffix(COMPENSATION) + ACTION


def action_refused(session: Session, compensation_key: str | None) -> bool:
    """Whether the action this compensation undoes was answered with an error: then it changed
    nothing, and its compensation has nothing to undo whatever state the record is in now."""
    action_key = action_key_of(compensation_key)
    stored = session.get(IdempotencyRecord, action_key) if action_key else None
    return stored is not None and stored.status_code >= 400


def refuse_late_action(session: Session, compensation_key: str | None) -> None:
    """A compensation found nothing to undo: remember it so that the late action is refused.

    Keys look like `{saga_id}:{step}:compensation`; the matching action key ends in `:action`.
    """
    action_key = action_key_of(compensation_key)
    if action_key is not None and session.get(IdempotencyRecord, action_key) is None:
        body = error_body("already_compensated", "this step was compensated before it arrived")
        session.add(IdempotencyRecord(key=action_key, status_code=409, body=body))
        log.info(
            "compensation %s arrived first; action %s will be refused", compensation_key, action_key
        )
