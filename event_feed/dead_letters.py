"""Events a subscriber could not apply because of what they contain, set aside for an operator.

A handler that raises on one event's data (a missing key, a wrong type, a failed validation)
would fail its whole batch on every retry and stop the subscriber for good. Such an event is
recorded here, in the same transaction that moves the cursor past it; errors of the database
itself are not data errors and still retry the batch.
"""

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Text, func
from sqlalchemy.exc import DataError, StatementError
from sqlmodel import Field, Session, SQLModel, col, select

from storage.engines import UtcDateTime
from storage.utc import utcnow

log = logging.getLogger(__name__)

# What a handler raises on an event whose payload is not what it expects.
DATA_ERRORS = (LookupError, ValueError, TypeError, AttributeError)


class DeadLetter(SQLModel, table=True):
    __tablename__ = "dead_letter_event"

    source: str = Field(primary_key=True, max_length=100)
    seq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    event: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    error: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


def is_data_error(error: BaseException) -> bool:
    """The event's content is at fault (retrying cannot help), not the database."""
    if isinstance(error, (*DATA_ERRORS, DataError)):
        return True
    # A value the driver refused to bind (e.g. text for a number column on SQLite).
    return type(error) is StatementError and isinstance(error.orig, DATA_ERRORS)


def set_aside(session: Session, source: str, event: dict[str, Any], error: BaseException) -> None:
    """Forget what the failed handler left in the session and record the event instead.

    Everything before the event was flushed when its savepoint began, so what is new now is the
    failed handler's, and expiring reloads every other object as the savepoint left it."""
    for leftover in list(session.new):
        session.expunge(leftover)
    session.expire_all()
    message = f"{type(error).__name__}: {error}"
    log.error("%s event %s cannot be applied, set aside: %s", source, event.get("seq"), message)
    session.add(DeadLetter(source=source, seq=event["seq"], event=event, error=message))


def count_dead_letters(session: Session, source: str) -> int:
    query = select(func.count()).select_from(DeadLetter).where(col(DeadLetter.source) == source)
    return int(session.exec(query).one())
