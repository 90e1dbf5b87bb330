"""Create Order saga (FTGO, Microservices Patterns table 4.1)."""

from dataclasses import dataclass, field

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from workflows.definition import compensatable, group, pivot, retriable, saga
    from workflows.state import SagaOptions

# fmt: off
CREATE_ORDER = saga(
    "CreateOrder",
    compensatable("create_order", "orders.create_order", "orders.reject_order", takes="order_id consumer_id restaurant_id line_items", gives="total_cents"),
    compensatable("verify_consumer", "consumers.verify_consumer", takes="order_id consumer_id create_order.total_cents"),
    compensatable("create_ticket", "kitchen.create_ticket", "kitchen.reject_ticket", takes="order_id restaurant_id line_items"),
    pivot("authorize_card", "accounting.authorize_card", takes="order_id consumer_id amount_cents=create_order.total_cents"),
    retriable("approve_ticket", "kitchen.approve_ticket", takes="order_id"),
    retriable("approve_order", "orders.approve_order", takes="order_id"),
    inputs="order_id consumer_id restaurant_id line_items",
)
# fmt: on

# Version 2: verify consumer and create ticket run together (each takes only what create order
# gave). Sagas started on version 1 finish on it (docs/sagas.md, "Changing a saga safely").
CREATE_ORDER_V2 = saga(
    "CreateOrder",
    CREATE_ORDER.step("create_order"),
    group(CREATE_ORDER.step("verify_consumer"), CREATE_ORDER.step("create_ticket")),
    CREATE_ORDER.step("authorize_card"),
    CREATE_ORDER.step("approve_ticket"),
    CREATE_ORDER.step("approve_order"),
    inputs=" ".join(CREATE_ORDER.inputs),
    version=2,
)


@dataclass
class LineItem:
    menu_item_id: str
    quantity: int


@dataclass
class CreateOrderInput:
    order_id: str
    consumer_id: str
    restaurant_id: str
    line_items: list[LineItem]
    options: SagaOptions = field(default_factory=SagaOptions)


def create_order_saga_id(order_id: str) -> str:
    return f"create-order-{order_id}"
