from activities.inputs import Authorization, NewAmount
from activities.table import ParticipantActivities, Post

ACCOUNTING = ParticipantActivities(
    "accounting",
    (
        Post("authorize_card", "/authorizations", Authorization, ("order_id", "consumer_id", "amount_cents", "saga_id")),
        Post("reverse_authorization", "/authorizations/{order_id}/reverse"),
        # The new total: the saga takes it from what the orders service priced.
        Post("revise_authorization", "/authorizations/{order_id}/revise", NewAmount, ("amount_cents",)),
    ),
)  # fmt: skip
