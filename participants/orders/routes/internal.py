"""The orders the consistency audit pages through (internal)."""

from audit.listing import Listing, internal_router
from participants.orders.models import Order

router = internal_router(Listing("orders", Order, "id", Order.public))
