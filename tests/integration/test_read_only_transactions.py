"""Readers of a SQLite database (the event feed, subscriber cursors) never wait for its writers."""

from pathlib import Path

from sqlmodel import Session

from event_feed.outbox import OutboxEvent, read_events, record_event
from storage.engines import make_engine, read_only, table_of


def test_a_reader_sees_committed_events_while_a_writer_holds_the_lock(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'feed'}.db")
    table_of(OutboxEvent).create(engine)
    with Session(engine) as first:
        record_event(first, "Committed", "thing", "1", {})
        first.commit()
    with Session(engine) as writer:
        record_event(writer, "Uncommitted", "thing", "2", {})
        writer.flush()  # the writer now holds SQLite's write lock
        with Session(read_only(engine)) as reader:
            events = read_events(reader, after=0, limit=10)
        writer.rollback()
    assert [event.event_type for event in events] == ["Committed"]
    engine.dispose()
