"""Ticket commands used by the Create Order and Cancel Order sagas, and the ticket read endpoint."""

from collections.abc import Callable

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlmodel import Session

from common.errors import Conflict, NotFound
from common.idempotency import (
    Answer,
    IdempotencyKey,
    action_refused,
    refuse_late_action,
    run_idempotent,
)
from common.outbox import record_event
from common.web import SessionDep
from participants.kitchen.models import Restaurant, Ticket, TicketCreate, TicketPublic, TicketState

router = APIRouter(prefix="/tickets", tags=["tickets"])

Change = Callable[[Ticket], None]


def _load(session: Session, order_id: str, *, for_update: bool = False) -> Ticket:
    ticket = session.get(Ticket, order_id, with_for_update=for_update)
    if ticket is None:
        raise NotFound("ticket_not_found", f"ticket for order {order_id} not found")
    return ticket


def _save(session: Session, ticket: Ticket, event_type: str) -> TicketPublic:
    session.add(ticket)
    public = ticket.public()
    record_event(session, event_type, "ticket", ticket.order_id, public.model_dump(mode="json"))
    return public


def _forward(session: Session, order_id: str, change: Change, event: str) -> Answer:
    ticket = _load(session, order_id, for_update=True)
    change(ticket)
    return 200, _save(session, ticket, event)


def _compensate(
    session: Session,
    order_id: str,
    key: str | None,
    undoes: TicketState,
    change: Change,
    event: str,
    nothing_to_undo: TicketState,
) -> Answer:
    """Undo the action that put the ticket in `undoes`; nothing to undo is a success too."""
    ticket = session.get(Ticket, order_id, with_for_update=True)
    refused = action_refused(session, key)
    if ticket is not None and ticket.state == undoes and not refused:
        change(ticket)
        return 200, _save(session, ticket, event)
    if ticket is None or ticket.state == nothing_to_undo or refused:
        refuse_late_action(session, key)
        return 200, {"order_id": order_id, "state": ticket and ticket.state, "compensated": False}
    raise Conflict("ticket_not_compensatable", f"ticket {order_id} is {ticket.state}")


@router.post("", status_code=201, response_model=TicketPublic)
def create_ticket(
    command: TicketCreate, session: SessionDep, key: IdempotencyKey = None
) -> JSONResponse:
    """Step 3 of Create Order: the ticket waits in CREATE_PENDING until the card is authorized."""

    def create() -> Answer:
        if session.get(Ticket, command.order_id) is not None:
            raise Conflict("ticket_exists", f"ticket for order {command.order_id} exists already")
        ticket = Ticket.create(command, session.get(Restaurant, command.restaurant_id))
        return 201, _save(session, ticket, "TicketCreated")

    return run_idempotent(session, key, create)


@router.get("/{order_id}", response_model=TicketPublic)
def get_ticket(order_id: str, session: SessionDep) -> TicketPublic:
    return _load(session, order_id).public()


@router.post("/{order_id}/approve", response_model=TicketPublic)
def approve_ticket(order_id: str, session: SessionDep, key: IdempotencyKey = None) -> JSONResponse:
    return run_idempotent(
        session, key, lambda: _forward(session, order_id, Ticket.approve, "TicketApproved")
    )


@router.post("/{order_id}/reject")
def reject_ticket(order_id: str, session: SessionDep, key: IdempotencyKey = None) -> JSONResponse:
    """Compensation of create ticket."""
    return run_idempotent(
        session,
        key,
        lambda: _compensate(
            session,
            order_id,
            key,
            TicketState.CREATE_PENDING,
            Ticket.reject,
            "TicketRejected",
            nothing_to_undo=TicketState.REJECTED,
        ),
    )


@router.post("/{order_id}/cancel/begin", response_model=TicketPublic)
def begin_cancel(order_id: str, session: SessionDep, key: IdempotencyKey = None) -> JSONResponse:
    return run_idempotent(
        session,
        key,
        lambda: _forward(session, order_id, Ticket.begin_cancel, "TicketCancelRequested"),
    )


@router.post("/{order_id}/cancel/undo")
def undo_cancel(order_id: str, session: SessionDep, key: IdempotencyKey = None) -> JSONResponse:
    """Compensation of begin cancel: back to the state before CANCEL_PENDING."""
    return run_idempotent(
        session,
        key,
        lambda: _compensate(
            session,
            order_id,
            key,
            TicketState.CANCEL_PENDING,
            Ticket.undo_cancel,
            "TicketCancelUndone",
            nothing_to_undo=TicketState.AWAITING_ACCEPTANCE,
        ),
    )


@router.post("/{order_id}/cancel/confirm", response_model=TicketPublic)
def confirm_cancel(order_id: str, session: SessionDep, key: IdempotencyKey = None) -> JSONResponse:
    return run_idempotent(
        session,
        key,
        lambda: _forward(session, order_id, Ticket.confirm_cancel, "TicketCancelled"),
    )
