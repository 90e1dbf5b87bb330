from temporalio import activity

from activities.participant import Participant
from workflows.state import StepCall, StepOutcome


class ConsumersActivities:
    def __init__(self, consumers: Participant) -> None:
        self.consumers = consumers

    @activity.defn(name="consumers.verify_consumer")
    async def verify_consumer(self, call: StepCall) -> StepOutcome:
        order = call.input
        body = {
            "order_id": order["order_id"],
            "total_cents": call.results["create_order"]["total_cents"],
        }
        return await self.consumers.post(f"/consumers/{order['consumer_id']}/verify", call, body)
