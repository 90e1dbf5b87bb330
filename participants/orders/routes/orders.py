"""Order commands used by the sagas, and the order read endpoint: the routes come from the
order's state-change table."""

from participant_commands.aggregates import Aggregate
from participant_commands.routes import Creation, aggregate_router
from participant_commands.rows import Rows
from participants.orders.models import (
    ORDER_CHANGES,
    Order,
    OrderCreate,
    OrderPublic,
    ReplicaRestaurant,
)

ORDERS = Aggregate(Order, "order", changes=ORDER_CHANGES)
REPLICA = Rows(ReplicaRestaurant, "id")

CREATE = Creation(
    OrderCreate,
    lambda session, command: Order.place(
        command, REPLICA.fetch(session.connection(), command.restaurant_id, for_update=False)
    ),
    "OrderCreated",
    id_from="order_id",
)

router = aggregate_router(ORDERS, OrderPublic, prefix="/orders", id_param="order_id", create=CREATE)
