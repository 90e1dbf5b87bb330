from activities.inputs import NewTicket, Revision
from activities.table import ParticipantActivities, Post

KITCHEN = ParticipantActivities(
    "kitchen",
    (
        Post("create_ticket", "/tickets", NewTicket, ("order_id", "restaurant_id", "line_items", "saga_id")),
        Post("reject_ticket", "/tickets/{order_id}/reject"),
        Post("approve_ticket", "/tickets/{order_id}/approve"),
        Post("begin_cancel_ticket", "/tickets/{order_id}/cancel/begin"),
        Post("undo_cancel_ticket", "/tickets/{order_id}/cancel/undo"),
        Post("confirm_cancel_ticket", "/tickets/{order_id}/cancel/confirm"),
        Post("begin_revise_ticket", "/tickets/{order_id}/revise/begin", Revision, ("line_items",)),
        Post("undo_revise_ticket", "/tickets/{order_id}/revise/undo"),
        Post("confirm_revise_ticket", "/tickets/{order_id}/revise/confirm"),
    ),
)  # fmt: skip
