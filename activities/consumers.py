from activities.inputs import Verification
from activities.table import ParticipantActivities, Post

CONSUMERS = ParticipantActivities(
    "consumers",
    (Post("verify_consumer", "/consumers/{consumer_id}/verify", Verification, ("order_id", "total_cents")),),
)  # fmt: skip
