from temporalio import activity

from activities.inputs import Authorization, NewAmount, OrderRef
from activities.participant import Participant
from workflows.state import StepCall, StepOutcome


class AccountingActivities:
    def __init__(self, accounting: Participant) -> None:
        self.accounting = accounting

    @activity.defn(name="accounting.authorize_card")
    async def authorize_card(self, call: StepCall) -> StepOutcome:
        charge = call.take(Authorization)
        body = {
            "order_id": charge.order_id,
            "consumer_id": charge.consumer_id,
            "amount_cents": charge.amount_cents,
            "saga_id": call.saga_id,
        }
        return await self.accounting.post("/authorizations", call, body)

    @activity.defn(name="accounting.reverse_authorization")
    async def reverse_authorization(self, call: StepCall) -> StepOutcome:
        order_id = call.take(OrderRef).order_id
        return await self.accounting.post(f"/authorizations/{order_id}/reverse", call)

    @activity.defn(name="accounting.revise_authorization")
    async def revise_authorization(self, call: StepCall) -> StepOutcome:
        """The new total: the saga takes it from what the orders service priced."""
        revised = call.take(NewAmount)
        body = {"amount_cents": revised.amount_cents}
        return await self.accounting.post(f"/authorizations/{revised.order_id}/revise", call, body)
