"""A workflow that runs any saga definition of a fixed set: definitions no service registers
(Create Order version 2, test sagas with groups, synthetic sagas of N steps) run on the real
engine, with real or test activities."""

from dataclasses import dataclass, field
from typing import Any

from temporalio import activity, workflow

from workflows.base import SagaWorkflow
from workflows.create_order import CREATE_ORDER, CREATE_ORDER_V2
from workflows.definition import SagaDefinition, compensatable, group, pivot, retriable, saga
from workflows.state import SagaOptions, SagaState, StepCall, StepOutcome

# fmt: off
PAIR = saga(
    "PairTest",
    compensatable("create_order", "orders.create_order", "orders.reject_order", takes="order_id", gives="total_cents"),
    group(
        compensatable("create_ticket", "kitchen.create_ticket", "kitchen.reject_ticket", takes="order_id"),
        compensatable("begin_cancel", "orders.begin_cancel", "orders.undo_cancel", takes="order_id create_order.total_cents"),
    ),
    pivot("authorize_card", "accounting.authorize_card", takes="order_id amount_cents=create_order.total_cents"),
    retriable("approve_order", "orders.approve_order", takes="order_id"),
    inputs="order_id",
)
# fmt: on


def synthetic(steps: int) -> SagaDefinition:
    """`steps` steps in a row; each takes the saga's order id and the token the step before gave."""
    first = compensatable(
        "step_0", "synthetic.step", "synthetic.undo", takes="order_id", gives="token"
    )
    middle = [
        compensatable(f"step_{i}", "synthetic.step", "synthetic.undo", takes=f"order_id step_{i - 1}.token", gives="token")
        for i in range(1, steps - 1)
    ]  # fmt: skip
    last = pivot(f"step_{steps - 1}", "synthetic.step", takes=f"order_id step_{steps - 2}.token")
    return saga(f"Synthetic{steps}", first, *middle, last, inputs="order_id")


DEFINITIONS = {
    "CreateOrder": CREATE_ORDER,
    "CreateOrderV2": CREATE_ORDER_V2,
    "Pair": PAIR,
    "Synthetic6": synthetic(6),
    "Synthetic13": synthetic(13),
    "Synthetic20": synthetic(20),
}


@dataclass
class AnySagaInput:
    definition: str  # a key of DEFINITIONS
    order_id: str
    consumer_id: str = ""
    restaurant_id: str = ""
    line_items: list[dict[str, Any]] = field(default_factory=list)
    options: SagaOptions = field(default_factory=SagaOptions)


@workflow.defn(name="AnySaga")
class AnySagaWorkflow(SagaWorkflow):
    @workflow.init
    def __init__(self, saga_input: AnySagaInput) -> None:
        self.versions = (DEFINITIONS[saga_input.definition],)
        self._start(saga_input)

    @workflow.run
    async def run(self, saga_input: AnySagaInput) -> SagaState:
        return await self.saga.execute()


@activity.defn(name="synthetic.step")
async def synthetic_step(call: StepCall) -> StepOutcome:
    """A participant's typical answer: a token for the next step and a record of ~300 bytes."""
    record = {"id": call.input["order_id"], "state": "DONE", "note": "x" * 240}
    return StepOutcome({"token": f"{call.step}-ok", "record": record})


@activity.defn(name="synthetic.undo")
async def synthetic_undo(call: StepCall) -> StepOutcome:
    return StepOutcome({"compensated": True})
