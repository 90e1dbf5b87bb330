"""Revise Order saga: change an approved order's line items (and so its total)."""

from dataclasses import dataclass, field

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from workflows.create_order import LineItem
    from workflows.definition import compensatable, pivot, retriable, saga
    from workflows.state import SagaOptions

# fmt: off
REVISE_ORDER = saga(
    "ReviseOrder",
    compensatable("begin_revise", "orders.begin_revise", "orders.undo_revise", takes="order_id line_items", gives="pending_revision"),
    compensatable("begin_revise_ticket", "kitchen.begin_revise_ticket", "kitchen.undo_revise_ticket", takes="order_id line_items"),
    pivot("revise_authorization", "accounting.revise_authorization", takes="order_id amount_cents=begin_revise.pending_revision.total_cents"),
    retriable("confirm_revise_ticket", "kitchen.confirm_revise_ticket", takes="order_id"),
    retriable("confirm_revise", "orders.confirm_revise", takes="order_id"),
    inputs="order_id line_items",
)
# fmt: on


@dataclass
class ReviseOrderInput:
    order_id: str
    line_items: list[LineItem]
    options: SagaOptions = field(default_factory=SagaOptions)
    attempt: int = 1  # a new attempt after a COMPENSATED one gets new idempotency keys


def revise_order_saga_id(order_id: str, revision: int) -> str:
    """`revision` is the number the order will have once this revision is confirmed."""
    return f"revise-order-{order_id}-{revision}"
