from temporalio import activity

from activities.participant import Participant
from workflows.state import StepCall, StepOutcome


class AccountingActivities:
    def __init__(self, accounting: Participant) -> None:
        self.accounting = accounting

    @activity.defn(name="accounting.authorize_card")
    async def authorize_card(self, call: StepCall) -> StepOutcome:
        order = call.input
        body = {
            "order_id": order["order_id"],
            "consumer_id": order["consumer_id"],
            "amount_cents": call.results["create_order"]["total_cents"],
            "saga_id": call.saga_id,
        }
        return await self.accounting.post("/authorizations", call, body)

    @activity.defn(name="accounting.reverse_authorization")
    async def reverse_authorization(self, call: StepCall) -> StepOutcome:
        order_id = call.input["order_id"]
        return await self.accounting.post(f"/authorizations/{order_id}/reverse", call)

    @activity.defn(name="accounting.revise_authorization")
    async def revise_authorization(self, call: StepCall) -> StepOutcome:
        """The new total is the one the orders service priced in begin revise."""
        order_id = call.input["order_id"]
        body = {"amount_cents": call.results["begin_revise"]["pending_revision"]["total_cents"]}
        return await self.accounting.post(f"/authorizations/{order_id}/revise", call, body)
