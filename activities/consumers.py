from temporalio import activity

from activities.inputs import Verification
from activities.participant import Participant
from workflows.state import StepCall, StepOutcome


class ConsumersActivities:
    def __init__(self, consumers: Participant) -> None:
        self.consumers = consumers

    @activity.defn(name="consumers.verify_consumer")
    async def verify_consumer(self, call: StepCall) -> StepOutcome:
        check = call.take(Verification)
        body = {"order_id": check.order_id, "total_cents": check.total_cents}
        return await self.consumers.post(f"/consumers/{check.consumer_id}/verify", call, body)
