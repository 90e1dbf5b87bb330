"""The view's orders, for the consistency audit (internal). Partial rows (no order event yet)
are left out, as everywhere else in the view."""

from sqlmodel import col

from audit.listing import Listing, internal_router
from views.order_history.models import OrderHistory, to_view

ORDERS = Listing(
    "orders",
    OrderHistory,
    "order_id",
    to_view,
    where=(col(OrderHistory.order_seq) > 0,),
)
router = internal_router(ORDERS)
