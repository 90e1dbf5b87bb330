"""The baselines the engine is measured against.

* `HandWrittenCreateOrder`: the Create Order saga as a user would write it by hand on Temporal,
  without the engine: the same activities as the definition the engine runs (its newest version:
  verify consumer and create ticket together), with a try/except compensation. With `publish`
  it also publishes what the engine publishes for the status read model (a memo upsert in each
  workflow task that changes a step, the `SagaStatus` attribute at the end), to measure what
  that costs apart from the rest of the engine.
* `NoopSaga`: the same number of activities, each a no-op, to isolate Temporal's own cost.
"""

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from temporalio import activity, workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from workflows.publishing import SAGA_STATUS
    from workflows.state import StepCall, StepOutcome

STEP_TIMEOUT = timedelta(seconds=10)
FORWARD_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=0.2),
    maximum_interval=timedelta(seconds=5),
    maximum_attempts=10,
)
FOREVER_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=0.2), maximum_interval=timedelta(seconds=5)
)
NOOP_STEPS = (
    "create_order",
    "verify_consumer",
    "create_ticket",
    "authorize_card",
    "approve_ticket",
    "approve_order",
)


@dataclass
class BenchOrder:
    """The Create Order saga's data, as the engine hands it to every step."""

    order_id: str
    consumer_id: str
    restaurant_id: str
    line_items: list[dict[str, Any]]
    local_activities: bool = False
    publish: bool = False
    results: dict[str, Any] = field(default_factory=dict)


@workflow.defn(name="BenchHandWrittenCreateOrder")
class HandWrittenCreateOrder:
    @workflow.run
    async def run(self, order: BenchOrder) -> str:
        self.order = order
        compensations: list[tuple[str, str]] = []
        try:
            compensations.append(("create_order", "orders.reject_order"))
            self.published("create_order")
            await self.step("create_order", "orders.create_order")
            compensations.append(("create_ticket", "kitchen.reject_ticket"))
            self.published("verify_consumer", "create_ticket", done="create_order")
            together = await asyncio.gather(
                self.step("verify_consumer", "consumers.verify_consumer"),
                self.step("create_ticket", "kitchen.create_ticket"),
                return_exceptions=True,  # both finish before any compensation, as in the engine
            )
            for outcome in together:
                if isinstance(outcome, BaseException):
                    raise outcome
            self.published("authorize_card", done="create_ticket")
            await self.step("authorize_card", "accounting.authorize_card")
        except BaseException:
            for name, compensation in reversed(compensations):
                await self.step(name, compensation, "compensation", FOREVER_RETRY)
            self.published(done=compensations[0][0], status="COMPENSATED")
            return "COMPENSATED"
        self.published("approve_ticket", done="authorize_card")
        await self.step("approve_ticket", "kitchen.approve_ticket", retry=FOREVER_RETRY)
        self.published("approve_order", done="approve_ticket")
        await self.step("approve_order", "orders.approve_order", retry=FOREVER_RETRY)
        self.published(done="approve_order", status="COMPLETED")
        return "COMPLETED"

    def published(self, *running: str, done: str | None = None, status: str = "") -> None:
        """With `publish`: one memo upsert of the steps that changed, as the engine's (and the
        saga's status and its search attribute when it ends)."""
        if not self.order.publish:
            return
        memo: dict[str, Any] = {
            f"step.{name}": {"status": "RUNNING", "attempts": 0} for name in running
        }
        if done:
            memo[f"step.{done}"] = {"status": "SUCCEEDED", "attempts": 1}
        if status:
            memo["saga"] = {"status": status, "closed_at": workflow.now().isoformat()}
        workflow.upsert_memo(memo)
        if status:
            workflow.upsert_search_attributes([SAGA_STATUS.value_set(status)])

    async def step(
        self,
        name: str,
        activity_name: str,
        role: str = "action",
        retry: RetryPolicy = FORWARD_RETRY,
    ) -> None:
        """Run `activity_name` (the activity the engine's step calls) for step `name`."""
        order = self.order
        data = {k: v for k, v in vars(order).items() if k not in ("results", "local_activities")}
        total = order.results.get("create_order", {}).get("total_cents")
        data |= {"total_cents": total, "amount_cents": total}  # what the later steps take
        call = StepCall(workflow.info().workflow_id, name, role, data)
        execute = (
            workflow.execute_local_activity if order.local_activities else workflow.execute_activity
        )
        outcome: StepOutcome = await execute(
            activity_name,
            call,
            result_type=StepOutcome,
            start_to_close_timeout=STEP_TIMEOUT,
            retry_policy=retry,
        )
        if role == "action":
            order.results[name] = outcome.body


@activity.defn(name="bench.noop")
async def noop(call: StepCall) -> StepOutcome:
    return StepOutcome(body={"step": call.step})


@workflow.defn(name="BenchNoopSaga")
class NoopSaga:
    @workflow.run
    async def run(self, order: BenchOrder) -> str:
        data = {"order_id": order.order_id, "consumer_id": order.consumer_id}
        results: dict[str, Any] = {}
        for name in NOOP_STEPS:
            call = StepCall(
                workflow.info().workflow_id, name, "action", data | {"seen": len(results)}
            )
            outcome = await workflow.execute_activity(
                noop, call, start_to_close_timeout=STEP_TIMEOUT, retry_policy=FORWARD_RETRY
            )
            results[name] = outcome.body
        return "COMPLETED"


BENCH_WORKFLOWS = [HandWrittenCreateOrder, NoopSaga]
