"""An aggregate's records read and written with Core: a write sets only the columns its command
set, and a record read and written back unchanged is not written at all."""

from sqlalchemy import Engine, event, update
from sqlmodel import Session

from participant_commands.tables import SHARED_TABLES
from participants.kitchen.models import Ticket, TicketState
from participants.kitchen.routes.tickets import TICKETS
from storage.engines import create_tables, make_engine, table_of
from tests.conftest import DatabaseFactory


def ticket_table(database_factory: DatabaseFactory) -> Engine:
    engine = make_engine(database_factory("rows"))
    create_tables(engine, [table_of(Ticket), *SHARED_TABLES])
    return engine


def test_a_write_sets_the_columns_the_command_set_and_no_other(
    database_factory: DatabaseFactory,
) -> None:
    engine = ticket_table(database_factory)
    with Session(engine) as session:
        TICKETS.save(session, Ticket(order_id="o-1", restaurant_id="r-1"), "TicketCreated")
        session.commit()
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
    engine = ticket_table(database_factory)
    with Session(engine) as session:
        TICKETS.save(session, Ticket(order_id="o-1", restaurant_id="r-1"), "TicketCreated")
        session.commit()
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with Session(engine) as session:
        TICKETS.save(session, TICKETS.load(session, "o-1"), "TicketSeen")
        session.commit()
    assert not [statement for statement in statements if statement.startswith("UPDATE ticket")]
    engine.dispose()
