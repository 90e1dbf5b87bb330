"""An aggregate's records read and written with Core: a write sets only the columns its command
set, a record read and written back unchanged is not written at all, and a command refused after
it wrote leaves nothing behind but its key's stored refusal."""

from sqlalchemy import Engine, event, update
from sqlmodel import Session

from event_feed.outbox import read_events
from http_contract.errors import Conflict
from http_contract.headers import IDEMPOTENT_REPLAYED
from participant_commands.idempotency import Answer, Idempotency, run_idempotent
from participant_commands.tables import SHARED_TABLES
from participants.kitchen.models import Ticket, TicketState
from participants.kitchen.routes.tickets import TICKETS
from storage.engines import create_tables, make_engine, table_of
from tests.conftest import DatabaseFactory


def ticket_table(database_factory: DatabaseFactory) -> Engine:
    engine = make_engine(database_factory("rows"))
    create_tables(engine, [table_of(Ticket), *SHARED_TABLES])
    return engine


def with_a_ticket(database_factory: DatabaseFactory) -> Engine:
    """The ticket table with ticket o-1 in it, just created."""
    engine = ticket_table(database_factory)
    with Session(engine) as session:
        TICKETS.save(session, Ticket(order_id="o-1", restaurant_id="r-1"), "TicketCreated")
        session.commit()
    return engine


def test_a_write_sets_the_columns_the_command_set_and_no_other(
    database_factory: DatabaseFactory,
) -> None:
    engine = with_a_ticket(database_factory)
    with Session(engine) as session:
        ticket = TICKETS.load(session, "o-1", for_update=True)
        assert ticket.state == TicketState.CREATE_PENDING and ticket.line_items == []
        # Another column changes under the loaded record: the write must not put it back.
        table = table_of(Ticket)
        session.connection().execute(update(table).values(saga_id="s-1"))
        ticket.state = TicketState.AWAITING_ACCEPTANCE
        TICKETS.save(session, ticket, "TicketApproved")
        session.commit()
    with Session(engine) as session:
        stored = TICKETS.load(session, "o-1")
        assert (stored.state, stored.saga_id) == (TicketState.AWAITING_ACCEPTANCE, "s-1")
    engine.dispose()


def test_a_record_written_back_unchanged_is_not_written(
    database_factory: DatabaseFactory,
) -> None:
    engine = with_a_ticket(database_factory)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with Session(engine) as session:
        TICKETS.save(session, TICKETS.load(session, "o-1"), "TicketSeen")
        session.commit()
    assert not [statement for statement in statements if statement.startswith("UPDATE ticket")]
    engine.dispose()


def test_a_refusal_undoes_what_the_command_wrote_but_keeps_the_key(
    database_factory: DatabaseFactory,
) -> None:
    engine = ticket_table(database_factory)

    def write_then_refuse() -> Answer:
        TICKETS.save(session, Ticket(order_id="o-1", restaurant_id="r-1"), "TicketCreated")
        raise Conflict("ticket_not_wanted", "refused after writing")

    with Session(engine) as session:
        answer = run_idempotent(session, Idempotency("k-1", "f"), write_then_refuse)
    assert answer.status_code == 409
    with Session(engine) as session:
        assert TICKETS.fetch(session, "o-1") is None
        assert read_events(session, 0, 10) == []
        replay = run_idempotent(session, Idempotency("k-1", "f"), write_then_refuse)
    assert (replay.status_code, replay.headers[IDEMPOTENT_REPLAYED]) == (409, "true")
    assert replay.body == answer.body
    engine.dispose()
