from activities.inputs import NewOrder, Revision
from activities.table import ParticipantActivities, Post

ORDERS = ParticipantActivities(
    "orders",
    (
        Post("create_order", "/orders", NewOrder, ("order_id", "consumer_id", "restaurant_id", "line_items", "saga_id")),
        Post("reject_order", "/orders/{order_id}/reject"),
        Post("approve_order", "/orders/{order_id}/approve"),
        Post("begin_cancel", "/orders/{order_id}/cancel/begin"),
        Post("undo_cancel", "/orders/{order_id}/cancel/undo"),
        Post("confirm_cancel", "/orders/{order_id}/cancel/confirm"),
        Post("begin_revise", "/orders/{order_id}/revise/begin", Revision, ("line_items",)),
        Post("undo_revise", "/orders/{order_id}/revise/undo"),
        Post("confirm_revise", "/orders/{order_id}/revise/confirm"),
    ),
)  # fmt: skip
