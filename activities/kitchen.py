from temporalio import activity

from activities.inputs import NewTicket, OrderRef, Revision
from activities.participant import Participant
from workflows.state import StepCall, StepOutcome


class KitchenActivities:
    def __init__(self, kitchen: Participant) -> None:
        self.kitchen = kitchen

    @activity.defn(name="kitchen.create_ticket")
    async def create_ticket(self, call: StepCall) -> StepOutcome:
        ticket = call.take(NewTicket)
        body = {
            "order_id": ticket.order_id,
            "restaurant_id": ticket.restaurant_id,
            "line_items": ticket.line_items,
            "saga_id": call.saga_id,
        }
        return await self.kitchen.post("/tickets", call, body)

    @activity.defn(name="kitchen.reject_ticket")
    async def reject_ticket(self, call: StepCall) -> StepOutcome:
        return await self.kitchen.post(f"/tickets/{call.take(OrderRef).order_id}/reject", call)

    @activity.defn(name="kitchen.approve_ticket")
    async def approve_ticket(self, call: StepCall) -> StepOutcome:
        return await self.kitchen.post(f"/tickets/{call.take(OrderRef).order_id}/approve", call)

    @activity.defn(name="kitchen.begin_cancel_ticket")
    async def begin_cancel_ticket(self, call: StepCall) -> StepOutcome:
        return await self.kitchen.post(
            f"/tickets/{call.take(OrderRef).order_id}/cancel/begin", call
        )

    @activity.defn(name="kitchen.undo_cancel_ticket")
    async def undo_cancel_ticket(self, call: StepCall) -> StepOutcome:
        return await self.kitchen.post(f"/tickets/{call.take(OrderRef).order_id}/cancel/undo", call)

    @activity.defn(name="kitchen.confirm_cancel_ticket")
    async def confirm_cancel_ticket(self, call: StepCall) -> StepOutcome:
        return await self.kitchen.post(
            f"/tickets/{call.take(OrderRef).order_id}/cancel/confirm", call
        )

    @activity.defn(name="kitchen.begin_revise_ticket")
    async def begin_revise_ticket(self, call: StepCall) -> StepOutcome:
        revision = call.take(Revision)
        body = {"line_items": revision.line_items}
        return await self.kitchen.post(f"/tickets/{revision.order_id}/revise/begin", call, body)

    @activity.defn(name="kitchen.undo_revise_ticket")
    async def undo_revise_ticket(self, call: StepCall) -> StepOutcome:
        return await self.kitchen.post(f"/tickets/{call.take(OrderRef).order_id}/revise/undo", call)

    @activity.defn(name="kitchen.confirm_revise_ticket")
    async def confirm_revise_ticket(self, call: StepCall) -> StepOutcome:
        return await self.kitchen.post(
            f"/tickets/{call.take(OrderRef).order_id}/revise/confirm", call
        )
