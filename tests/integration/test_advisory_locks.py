"""Each PostgreSQL advisory lock guards one thing: holding one never blocks work under another."""

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlmodel import Session

from storage.engines import make_engine
from storage.locks import AdvisoryLock
from storage.migrations import upgrade
from tests.support.databases import postgres_database, require_postgres
from tests.support.eventually import eventually
from views.order_history.projector import handle_orders_event


def test_every_advisory_lock_has_its_own_id() -> None:
    ids = [lock.value for lock in AdvisoryLock]
    assert len(set(ids)) == len(ids) == len(AdvisoryLock.__members__)


@pytest.fixture
def view_database() -> Iterator[str]:
    require_postgres()
    with postgres_database("saga_test_view") as url:
        upgrade("order_history", url)
        yield url


def waiting_for_advisory_locks(url: str) -> int:
    engine = make_engine(url)
    query = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(query)).scalar_one())
    finally:
        engine.dispose()


def done_or_blocked(migration: Future[None], url: str) -> bool:
    """True when the migration finished; False when it waits for an advisory lock."""
    if migration.done():
        return True
    assert waiting_for_advisory_locks(url) > 0, "neither finished nor waiting yet"
    return False


ORDER_CREATED = {
    "seq": 1,
    "event_type": "OrderCreated",
    "created_at": "2026-01-01T12:00:00+00:00",
    "payload": {
        "order_id": "o-1",
        "consumer_id": "ann",
        "restaurant_id": "r-1",
        "restaurant_name": "Ajanta",
        "line_items": [],
        "total_cents": 0,
        "state": "APPROVAL_PENDING",
        "created_at": "2026-01-01T12:00:00+00:00",
    },
}


@pytest.mark.postgres
def test_migrations_run_while_the_view_holds_its_write_lock(view_database: str) -> None:
    engine = make_engine(view_database)
    with ThreadPoolExecutor(1) as pool, Session(engine) as writer:
        handle_orders_event(writer, ORDER_CREATED)  # the view's write lock, held until rollback
        migration = pool.submit(upgrade, "order_history", view_database)
        finished = eventually(lambda: done_or_blocked(migration, view_database))
        writer.rollback()  # releases the view's lock: a blocked migration finishes now
        migration.result(timeout=60)
    engine.dispose()
    assert finished, "the migration waited for the view's write lock"
