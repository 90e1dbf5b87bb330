"""Order commands used by the sagas, and the order read endpoint."""

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
from participants.orders.models import (
    Order,
    OrderCreate,
    OrderPublic,
    OrderState,
    ReplicaRestaurant,
)

router = APIRouter(prefix="/orders", tags=["orders"])


def _load(session: Session, order_id: str, *, for_update: bool = False) -> Order:
    order = session.get(Order, order_id, with_for_update=for_update)
    if order is None:
        raise NotFound("order_not_found", f"order {order_id} not found")
    return order


def _save(session: Session, order: Order, event_type: str) -> Answer:
    session.add(order)
    record_event(session, event_type, "order", order.id, order.public().model_dump(mode="json"))
    return 200, order.public()


def _forward(
    session: Session, order_id: str, change: Callable[[Order], None], event: str
) -> Answer:
    order = _load(session, order_id, for_update=True)
    change(order)
    return _save(session, order, event)


def _compensate(
    session: Session,
    order_id: str,
    key: str | None,
    undoes: OrderState,
    change: Callable[[Order], None],
    event: str,
    already: OrderState,
) -> Answer:
    """Undo the action that put the order in `undoes`; nothing to undo is a success too."""
    order = session.get(Order, order_id, with_for_update=True)
    refused = action_refused(session, key)
    if order is not None and order.state == undoes and not refused:
        change(order)
        return _save(session, order, event)
    if order is None or order.state == already or refused:
        refuse_late_action(session, key)
        return 200, {"order_id": order_id, "state": order and order.state, "compensated": False}
    raise Conflict("order_not_compensatable", f"order {order_id} is {order.state}")


@router.post("", status_code=201, response_model=OrderPublic)
def create_order(
    command: OrderCreate, session: SessionDep, key: IdempotencyKey = None
) -> JSONResponse:
    def place() -> Answer:
        if session.get(Order, command.order_id) is not None:
            raise Conflict("order_exists", f"order {command.order_id} exists already")
        order = Order.place(command, session.get(ReplicaRestaurant, command.restaurant_id))
        _save(session, order, "OrderCreated")
        return 201, order.public()

    return run_idempotent(session, key, place)


@router.get("/{order_id}", response_model=OrderPublic)
def get_order(order_id: str, session: SessionDep) -> OrderPublic:
    return _load(session, order_id).public()


@router.post("/{order_id}/approve", response_model=OrderPublic)
def approve_order(order_id: str, session: SessionDep, key: IdempotencyKey = None) -> JSONResponse:
    return run_idempotent(
        session, key, lambda: _forward(session, order_id, Order.approve, "OrderApproved")
    )


@router.post("/{order_id}/reject")
def reject_order(order_id: str, session: SessionDep, key: IdempotencyKey = None) -> JSONResponse:
    """Compensation of create order."""
    return run_idempotent(
        session,
        key,
        lambda: _compensate(
            session,
            order_id,
            key,
            OrderState.APPROVAL_PENDING,
            Order.reject,
            "OrderRejected",
            already=OrderState.REJECTED,
        ),
    )


@router.post("/{order_id}/cancel/begin", response_model=OrderPublic)
def begin_cancel(order_id: str, session: SessionDep, key: IdempotencyKey = None) -> JSONResponse:
    return run_idempotent(
        session,
        key,
        lambda: _forward(session, order_id, Order.begin_cancel, "OrderCancelRequested"),
    )


@router.post("/{order_id}/cancel/undo")
def undo_cancel(order_id: str, session: SessionDep, key: IdempotencyKey = None) -> JSONResponse:
    """Compensation of begin cancel."""
    return run_idempotent(
        session,
        key,
        lambda: _compensate(
            session,
            order_id,
            key,
            OrderState.CANCEL_PENDING,
            Order.undo_cancel,
            "OrderCancelUndone",
            already=OrderState.APPROVED,
        ),
    )


@router.post("/{order_id}/cancel/confirm", response_model=OrderPublic)
def confirm_cancel(order_id: str, session: SessionDep, key: IdempotencyKey = None) -> JSONResponse:
    return run_idempotent(
        session, key, lambda: _forward(session, order_id, Order.confirm_cancel, "OrderCancelled")
    )
