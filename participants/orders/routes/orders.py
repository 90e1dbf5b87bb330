"""Order commands used by the sagas, and the order read endpoint: the routes come from the
order's state-change table."""

from participant_commands.aggregates import Aggregate
from participant_commands.routes import Creation, aggregate_router
from participants.orders.models import (
    ORDER_CHANGES,
    Order,
    OrderCreate,
    OrderPublic,
    ReplicaRestaurant,
)

ORDERS = Aggregate(Order, "order", changes=ORDER_CHANGES)

CREATE = Creation(
    OrderCreate,
    lambda session, command: Order.place(
        command, session.get(ReplicaRestaurant, command.restaurant_id)
    ),
    "OrderCreated",
    id_from="order_id",
)

router = aggregate_router(ORDERS, OrderPublic, prefix="/orders", id_param="order_id", create=CREATE)
