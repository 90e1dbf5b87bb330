"""Engines for a service's private database: SQLite file by default, PostgreSQL by URL."""

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Dialect, Engine, Table, TypeDecorator, event
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel, create_engine

from storage.utc import as_utc


class UtcDateTime(TypeDecorator[datetime]):
    """A point in time stored as UTC and read back timezone-aware on every database.

    A plain DateTime column loses the zone: SQLite drops it, and PostgreSQL's `timestamp` converts
    an aware value to the session's local time first, so readers would misplace it by hours.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = as_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    """Build an engine. On SQLite: WAL, a busy timeout and write transactions that begin at once,
    so two writers queue instead of failing on a stale snapshot."""
    if not is_sqlite(url):
        return create_engine(url, pool_size=pool_size, max_overflow=20, pool_pre_ping=True)
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    _tune_sqlite(engine)
    return engine


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        writes = connection.get_execution_options().get(WRITES, True)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


WRITES = "sqlite_transaction_writes"


def read_only(engine: Engine) -> Engine:
    """The same engine for transactions that only read: on SQLite they take no write lock, so the
    event feed's pollers never queue behind (or hold up) the service's writers."""
    return engine.execution_options(**{WRITES: False})


def table_of(model: type[SQLModel]) -> Table:
    """The table behind a SQLModel table class (the attribute is set at runtime, untyped)."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


def create_tables(engine: Engine, tables: Sequence[Table]) -> None:
    """Create this service's own tables (and only those) when they are missing."""
    SQLModel.metadata.create_all(engine, tables=list(tables))
