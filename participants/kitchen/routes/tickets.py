"""Ticket commands used by the Create Order and Cancel Order sagas, and the ticket read endpoint."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from participant_commands.aggregates import Compensatable
from participant_commands.idempotency import CommandKey
from participants.kitchen.models import (
    Restaurant,
    Ticket,
    TicketCreate,
    TicketPublic,
    TicketRevise,
    TicketState,
)
from service_app.web import ReadSessionDep, SessionDep

router = APIRouter(prefix="/tickets", tags=["tickets"])

TICKETS = Compensatable(
    Ticket,
    "ticket",
    id_field="order_id",
    missing="ticket for order {id} not found",
    exists="ticket for order {id} exists already",
)


@router.post("", status_code=201, response_model=TicketPublic)
def create_ticket(command: TicketCreate, session: SessionDep, key: CommandKey) -> JSONResponse:
    """Step 3 of Create Order: the ticket waits in CREATE_PENDING until the card is authorized."""

    def create() -> Ticket:
        return Ticket.create(command, session.get(Restaurant, command.restaurant_id))

    return TICKETS.create(session, key, command.order_id, create, "TicketCreated")


@router.get("/{order_id}", response_model=TicketPublic)
def get_ticket(order_id: str, session: ReadSessionDep) -> TicketPublic:
    return TICKETS.load(session, order_id).public()


@router.post("/{order_id}/approve", response_model=TicketPublic)
def approve_ticket(order_id: str, session: SessionDep, key: CommandKey) -> JSONResponse:
    return TICKETS.forward(session, key, order_id, Ticket.approve, "TicketApproved")


@router.post("/{order_id}/reject")
def reject_ticket(order_id: str, session: SessionDep, key: CommandKey) -> JSONResponse:
    """Compensation of create ticket."""
    return TICKETS.compensate(
        session,
        key,
        order_id,
        Ticket.reject,
        "TicketRejected",
        undoes=TicketState.CREATE_PENDING,
        undone=TicketState.REJECTED,
    )


@router.post("/{order_id}/cancel/begin", response_model=TicketPublic)
def begin_cancel(order_id: str, session: SessionDep, key: CommandKey) -> JSONResponse:
    return TICKETS.forward(session, key, order_id, Ticket.begin_cancel, "TicketCancelRequested")


@router.post("/{order_id}/cancel/undo")
def undo_cancel(order_id: str, session: SessionDep, key: CommandKey) -> JSONResponse:
    """Compensation of begin cancel: back to the state before CANCEL_PENDING."""
    return TICKETS.compensate(
        session,
        key,
        order_id,
        Ticket.undo_cancel,
        "TicketCancelUndone",
        undoes=TicketState.CANCEL_PENDING,
        undone=TicketState.AWAITING_ACCEPTANCE,
    )


@router.post("/{order_id}/cancel/confirm", response_model=TicketPublic)
def confirm_cancel(order_id: str, session: SessionDep, key: CommandKey) -> JSONResponse:
    return TICKETS.forward(session, key, order_id, Ticket.confirm_cancel, "TicketCancelled")


# -- Revise Order ---------------------------------------------------------------------------------


@router.post("/{order_id}/revise/begin", response_model=TicketPublic)
def begin_revise(
    order_id: str, command: TicketRevise, session: SessionDep, key: CommandKey
) -> JSONResponse:
    """Step 2 of Revise Order: lock the ticket and hold the new line items."""

    def begin(ticket: Ticket) -> None:
        ticket.begin_revise(command)

    return TICKETS.forward(session, key, order_id, begin, "TicketRevisionRequested")


@router.post("/{order_id}/revise/undo")
def undo_revise(order_id: str, session: SessionDep, key: CommandKey) -> JSONResponse:
    """Compensation of begin revise ticket: the ticket keeps its line items."""
    return TICKETS.compensate(
        session,
        key,
        order_id,
        Ticket.undo_revise,
        "TicketRevisionUndone",
        undoes=TicketState.REVISION_PENDING,
        undone=TicketState.AWAITING_ACCEPTANCE,
    )


@router.post("/{order_id}/revise/confirm", response_model=TicketPublic)
def confirm_revise(order_id: str, session: SessionDep, key: CommandKey) -> JSONResponse:
    return TICKETS.forward(session, key, order_id, Ticket.confirm_revise, "TicketRevised")
