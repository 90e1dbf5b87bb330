"""Orders: start the Create Order and Cancel Order sagas; read an order."""

import uuid
from typing import Any

from fastapi import APIRouter

from api.deps import Caller, HttpDep, SettingsDep, StarterDep
from api.proxy import Unavailable, fetch_order, get_json
from api.sagas import request_hash
from api.schemas import OrderAccepted, OrderRequest, PathId, SagaAccepted
from http_contract.errors import Conflict
from http_contract.header_params import IdempotencyKey
from workflows.cancel_order import CANCEL_ORDER, CancelOrderInput, cancel_order_saga_id
from workflows.create_order import CREATE_ORDER, CreateOrderInput, LineItem, create_order_saga_id
from workflows.state import CLOSED_STATUSES

router = APIRouter(prefix="/orders", tags=["orders"])
ORDER_IDS = uuid.UUID("6f1c1f3e-6a53-4a0e-9d0c-5c0b7f0f2b1d")


def new_order_id(caller: str, key: str | None) -> str:
    """A fresh id, or the same id for the same caller and Idempotency-Key."""
    return uuid.uuid5(ORDER_IDS, f"{caller}\n{key}").hex if key else uuid.uuid4().hex


@router.post("", status_code=202, response_model=OrderAccepted)
async def create_order(
    body: OrderRequest,
    caller: Caller,
    starter: StarterDep,
    key: IdempotencyKey = None,
) -> OrderAccepted:
    order_id = new_order_id(caller, key)
    saga_input = CreateOrderInput(
        order_id=order_id,
        consumer_id=body.consumer_id,
        restaurant_id=body.restaurant_id,
        line_items=[LineItem(i.menu_item_id, i.quantity) for i in body.line_items],
        options=starter.options(CREATE_ORDER.saga_type),
    )
    started = await starter.start(
        CREATE_ORDER.saga_type,
        saga_input,
        create_order_saga_id(order_id),
        request_hash(body.model_dump(mode="json")) if key else None,
    )
    return OrderAccepted(order_id=order_id, saga_id=started.saga_id, status=started.status)


@router.get("/{order_id}")
async def get_order(order_id: PathId, _: Caller, http: HttpDep, settings: SettingsDep) -> Any:
    """From the order-history view; from the orders service while the view has not caught up
    or cannot be reached (the orders service is the source of truth)."""
    try:
        view = await get_json(
            http, f"{settings.order_history_url}/orders/{order_id}", missing_ok=True
        )
    except Unavailable:
        view = None
    if view is not None:
        return view
    return await fetch_order(http, settings.orders_url, order_id)


@router.post("/{order_id}/cancel", status_code=202, response_model=SagaAccepted)
async def cancel_order(
    order_id: PathId,
    _: Caller,
    http: HttpDep,
    settings: SettingsDep,
    starter: StarterDep,
) -> SagaAccepted:
    order = await fetch_order(http, settings.orders_url, order_id)
    if order["state"] != "APPROVED":
        raise Conflict("order_not_cancellable", f"order {order_id} is {order['state']}")
    saga_id = cancel_order_saga_id(order_id)
    attempt = await starter.next_attempt(saga_id)
    options = starter.options(CANCEL_ORDER.saga_type)
    started = await starter.start(
        CANCEL_ORDER.saga_type,
        CancelOrderInput(order_id, options, attempt),
        saga_id,
        request_hash({"cancel": order_id}),
        attempt,
    )
    if started.duplicate and started.status in CLOSED_STATUSES:
        # The last attempt ended for good (completed, or failed and left to an operator).
        raise Conflict(
            "cancel_already_attempted",
            f"saga {started.saga_id} already tried to cancel order {order_id}: {started.status}",
        )
    return SagaAccepted(saga_id=started.saga_id, status=started.status)
