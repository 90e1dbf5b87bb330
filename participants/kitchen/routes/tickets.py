"""Ticket commands used by the Create Order, Cancel Order and Revise Order sagas, and the ticket
read endpoint: the routes come from the ticket's state-change table."""

from participant_commands.aggregates import Aggregate
from participant_commands.routes import Creation, aggregate_router
from participants.kitchen.models import (
    TICKET_CHANGES,
    Ticket,
    TicketCreate,
    TicketPublic,
)
from participants.kitchen.routes.restaurants import RESTAURANTS

TICKETS = Aggregate(
    Ticket,
    "ticket",
    id_field="order_id",
    missing="ticket for order {id} not found",
    exists="ticket for order {id} exists already",
    changes=TICKET_CHANGES,
)

CREATE = Creation(
    TicketCreate,
    lambda session, command: Ticket.create(
        command, RESTAURANTS.fetch(session, command.restaurant_id)
    ),
    "TicketCreated",
    id_from="order_id",
    summary="Step 3 of Create Order: the ticket waits in CREATE_PENDING until the card is authorized.",
)

router = aggregate_router(
    TICKETS, TicketPublic, prefix="/tickets", id_param="order_id", create=CREATE
)
