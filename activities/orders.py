from temporalio import activity

from activities.inputs import NewOrder, OrderRef, Revision
from activities.participant import Participant
from workflows.state import StepCall, StepOutcome


class OrdersActivities:
    def __init__(self, orders: Participant) -> None:
        self.orders = orders

    @activity.defn(name="orders.create_order")
    async def create_order(self, call: StepCall) -> StepOutcome:
        order = call.take(NewOrder)
        body = {
            "order_id": order.order_id,
            "consumer_id": order.consumer_id,
            "restaurant_id": order.restaurant_id,
            "line_items": order.line_items,
            "saga_id": call.saga_id,
        }
        return await self.orders.post("/orders", call, body)

    @activity.defn(name="orders.reject_order")
    async def reject_order(self, call: StepCall) -> StepOutcome:
        return await self.orders.post(f"/orders/{call.take(OrderRef).order_id}/reject", call)

    @activity.defn(name="orders.approve_order")
    async def approve_order(self, call: StepCall) -> StepOutcome:
        return await self.orders.post(f"/orders/{call.take(OrderRef).order_id}/approve", call)

    @activity.defn(name="orders.begin_cancel")
    async def begin_cancel(self, call: StepCall) -> StepOutcome:
        return await self.orders.post(f"/orders/{call.take(OrderRef).order_id}/cancel/begin", call)

    @activity.defn(name="orders.undo_cancel")
    async def undo_cancel(self, call: StepCall) -> StepOutcome:
        return await self.orders.post(f"/orders/{call.take(OrderRef).order_id}/cancel/undo", call)

    @activity.defn(name="orders.confirm_cancel")
    async def confirm_cancel(self, call: StepCall) -> StepOutcome:
        return await self.orders.post(
            f"/orders/{call.take(OrderRef).order_id}/cancel/confirm", call
        )

    @activity.defn(name="orders.begin_revise")
    async def begin_revise(self, call: StepCall) -> StepOutcome:
        revision = call.take(Revision)
        body = {"line_items": revision.line_items}
        return await self.orders.post(f"/orders/{revision.order_id}/revise/begin", call, body)

    @activity.defn(name="orders.undo_revise")
    async def undo_revise(self, call: StepCall) -> StepOutcome:
        return await self.orders.post(f"/orders/{call.take(OrderRef).order_id}/revise/undo", call)

    @activity.defn(name="orders.confirm_revise")
    async def confirm_revise(self, call: StepCall) -> StepOutcome:
        return await self.orders.post(
            f"/orders/{call.take(OrderRef).order_id}/revise/confirm", call
        )
