"""Order commands used by the sagas, and the order read endpoint."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from participant_commands.aggregates import Compensatable
from participant_commands.idempotency import CommandKey
from participants.orders.models import (
    Order,
    OrderCreate,
    OrderPublic,
    OrderRevise,
    OrderState,
    ReplicaRestaurant,
)
from service_app.web import ReadSessionDep, SessionDep

router = APIRouter(prefix="/orders", tags=["orders"])

ORDERS = Compensatable(Order, "order")


@router.post("", status_code=201, response_model=OrderPublic)
def create_order(command: OrderCreate, session: SessionDep, key: CommandKey) -> JSONResponse:
    def place() -> Order:
        return Order.place(command, session.get(ReplicaRestaurant, command.restaurant_id))

    return ORDERS.create(session, key, command.order_id, place, "OrderCreated")


@router.get("/{order_id}", response_model=OrderPublic)
def get_order(order_id: str, session: ReadSessionDep) -> OrderPublic:
    return ORDERS.load(session, order_id).public()


@router.post("/{order_id}/approve", response_model=OrderPublic)
def approve_order(order_id: str, session: SessionDep, key: CommandKey) -> JSONResponse:
    return ORDERS.forward(session, key, order_id, Order.approve, "OrderApproved")


@router.post("/{order_id}/reject")
def reject_order(order_id: str, session: SessionDep, key: CommandKey) -> JSONResponse:
    """Compensation of create order."""
    return ORDERS.compensate(
        session,
        key,
        order_id,
        Order.reject,
        "OrderRejected",
        undoes=OrderState.APPROVAL_PENDING,
        undone=OrderState.REJECTED,
    )


@router.post("/{order_id}/cancel/begin", response_model=OrderPublic)
def begin_cancel(order_id: str, session: SessionDep, key: CommandKey) -> JSONResponse:
    return ORDERS.forward(session, key, order_id, Order.begin_cancel, "OrderCancelRequested")


@router.post("/{order_id}/cancel/undo")
def undo_cancel(order_id: str, session: SessionDep, key: CommandKey) -> JSONResponse:
    """Compensation of begin cancel."""
    return ORDERS.compensate(
        session,
        key,
        order_id,
        Order.undo_cancel,
        "OrderCancelUndone",
        undoes=OrderState.CANCEL_PENDING,
        undone=OrderState.APPROVED,
    )


@router.post("/{order_id}/cancel/confirm", response_model=OrderPublic)
def confirm_cancel(order_id: str, session: SessionDep, key: CommandKey) -> JSONResponse:
    return ORDERS.forward(session, key, order_id, Order.confirm_cancel, "OrderCancelled")


# -- Revise Order ---------------------------------------------------------------------------------


@router.post("/{order_id}/revise/begin", response_model=OrderPublic)
def begin_revise(
    order_id: str, command: OrderRevise, session: SessionDep, key: CommandKey
) -> JSONResponse:
    """Step 1 of Revise Order: price the new line items and hold them as the pending revision."""

    def begin(order: Order) -> None:
        order.begin_revise(session.get(ReplicaRestaurant, order.restaurant_id), command.line_items)

    return ORDERS.forward(session, key, order_id, begin, "OrderRevisionRequested")


@router.post("/{order_id}/revise/undo")
def undo_revise(order_id: str, session: SessionDep, key: CommandKey) -> JSONResponse:
    """Compensation of begin revise: the order stays as it was, the pending revision is dropped."""
    return ORDERS.compensate(
        session,
        key,
        order_id,
        Order.undo_revise,
        "OrderRevisionUndone",
        undoes=OrderState.REVISION_PENDING,
        undone=OrderState.APPROVED,
    )


@router.post("/{order_id}/revise/confirm", response_model=OrderPublic)
def confirm_revise(order_id: str, session: SessionDep, key: CommandKey) -> JSONResponse:
    return ORDERS.forward(session, key, order_id, Order.confirm_revise, "OrderRevised")
