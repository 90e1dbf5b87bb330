"""Cancel Order saga."""

from dataclasses import dataclass, field

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from workflows.definition import compensatable, pivot, retriable, saga
    from workflows.state import SagaOptions

# fmt: off
CANCEL_ORDER = saga(
    "CancelOrder",
    compensatable("begin_cancel", "orders.begin_cancel", "orders.undo_cancel", takes="order_id"),
    compensatable("begin_cancel_ticket", "kitchen.begin_cancel_ticket", "kitchen.undo_cancel_ticket", takes="order_id"),
    pivot("reverse_authorization", "accounting.reverse_authorization", takes="order_id"),
    retriable("confirm_cancel_ticket", "kitchen.confirm_cancel_ticket", takes="order_id"),
    retriable("confirm_cancel", "orders.confirm_cancel", takes="order_id"),
    inputs="order_id",
)
# fmt: on


@dataclass
class CancelOrderInput:
    order_id: str
    options: SagaOptions = field(default_factory=SagaOptions)
    attempt: int = 1  # a new attempt after a COMPENSATED one gets new idempotency keys


def cancel_order_saga_id(order_id: str) -> str:
    return f"cancel-order-{order_id}"
