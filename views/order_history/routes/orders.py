"""Read one order from the view."""

from fastapi import APIRouter

from http_contract.errors import NotFound
from service_app.web import ReadSessionDep
from views.order_history.models import OrderHistory, OrderView, is_complete, to_view

router = APIRouter(prefix="/orders", tags=["orders"])


@router.get("/{order_id}", response_model=OrderView)
def get_order(order_id: str, session: ReadSessionDep) -> OrderView:
    row = session.get(OrderHistory, order_id)
    if row is None or not is_complete(row):
        raise NotFound("order_not_found", f"order {order_id} is not in the order history")
    return to_view(row)
