"""Create Order saga (FTGO, Microservices Patterns table 4.1)."""

from dataclasses import dataclass, field

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from workflows.definition import compensatable, pivot, retriable, saga
    from workflows.state import SagaOptions

CREATE_ORDER = saga(
    "CreateOrder",
    compensatable("create_order", "orders.create_order", compensation="orders.reject_order"),
    compensatable("verify_consumer", "consumers.verify_consumer"),
    compensatable("create_ticket", "kitchen.create_ticket", compensation="kitchen.reject_ticket"),
    pivot("authorize_card", "accounting.authorize_card"),
    retriable("approve_ticket", "kitchen.approve_ticket"),
    retriable("approve_order", "orders.approve_order"),
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
