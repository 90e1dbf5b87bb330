"""The saga engine, written once for every saga definition.

It runs the steps in order, the steps of a group concurrently; builds each step's input from the
data flow the definition declares; registers each step's compensation before the step runs; on a
business rejection, a cancellation or the deadline before the pivot it runs the registered
compensations in reverse order (a group's together), in a scope that cancellation cannot
interrupt; a compensation that cannot succeed puts the saga in NEEDS_ATTENTION until an operator
resolves it. A pivot whose outcome is unknown is retried, with the same idempotency key, until
its participant answers (docs/sagas.md).
"""

import asyncio
import builtins
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from workflows.calls import call_step, retry_policy, round_timeout
    from workflows.dataflow import kept, step_input
    from workflows.dataflow import saga_data as saga_data
    from workflows.definition import SagaDefinition, Step, StepKind
    from workflows.errors import SagaRejected, attempts_of, error_info, is_business_rejection
    from workflows.groups import run_together
    from workflows.operator import check_resolution
    from workflows.publishing import SAGA_STATUS as SAGA_STATUS
    from workflows.publishing import SAGA_TYPE as SAGA_TYPE
    from workflows.publishing import Publisher
    from workflows.state import (
        ErrorInfo,
        OperatorAction,
        Resolution,
        SagaOptions,
        SagaState,
        SagaStatus,
        StepCall,
        StepOutcome,
        StepState,
        StepStatus,
    )
    from workflows.tasks import rejection_of, uninterruptible

ACTION, COMPENSATION = "action", "compensation"


class SagaRun:
    def __init__(
        self,
        definition: SagaDefinition,
        saga_id: str,
        data: dict[str, Any],
        options: SagaOptions,
        attempt: int = 1,
    ) -> None:
        self.definition, self.data, self.options, self.attempt = definition, data, options, attempt
        self.results: dict[str, dict[str, Any]] = {}  # what each step gives later steps
        self.registered: list[list[Step]] = []  # compensations, stage by stage
        self.operator_turn = asyncio.Lock()  # one question to the operator at a time
        self.pivot_started = False
        self.resolution: Resolution | None = None
        self.waiting_step: StepState | None = None  # the step an operator is asked about
        self.state = SagaState(
            saga_id=saga_id,
            saga_type=definition.saga_type,
            status=SagaStatus.RUNNING,
            steps=[
                StepState(
                    step.name, step.kind.value, compensation=step.compensation, group=step.group
                )
                for step in definition.steps
            ],
            started_at=workflow.info().start_time,
        )
        self.publisher = Publisher(self.state)

    # -- the saga -----------------------------------------------------------------------------

    async def execute(self) -> SagaState:
        self.publishing = asyncio.create_task(self.publisher.publish_changes())
        self.publisher.start(self.definition.saga_type)
        forward = asyncio.create_task(self._forward())
        stop = await self._await_forward(forward)
        rejection = await rejection_of(forward)
        if stop is None and rejection is None:
            return self._close(SagaStatus.COMPLETED, None)
        await uninterruptible(self._compensate())
        if stop is not None:
            return self._close(SagaStatus.CANCELLED, stop)
        return self._close(SagaStatus.COMPENSATED, rejection)

    async def _await_forward(self, forward: asyncio.Task[None]) -> ErrorInfo | None:
        """Wait for the forward steps; a cancellation or the deadline before the pivot stops them."""
        while True:
            try:
                await workflow.wait_condition(forward.done, timeout=self._time_to_deadline())
                return None
            except asyncio.CancelledError:
                stop = ErrorInfo("cancelled", "the saga was cancelled on request")
            except builtins.TimeoutError:
                seconds = self.options.deadline_seconds
                stop = ErrorInfo("deadline_exceeded", f"the pivot was not passed within {seconds}s")
            if self.pivot_started:
                workflow.logger.info("saga past its pivot: %s ignored", stop.code)
                continue
            forward.cancel()
            return stop

    def _time_to_deadline(self) -> timedelta | None:
        if self.pivot_started or self.options.deadline_seconds <= 0:
            return None
        deadline = self.state.started_at + timedelta(seconds=self.options.deadline_seconds)
        return max(deadline - workflow.now(), timedelta(milliseconds=1))

    # -- forward steps ------------------------------------------------------------------------

    async def _forward(self) -> None:
        for stage in self.definition.stages:
            # Before the steps run: a step may commit and time out.
            self.registered.append([step for step in stage if step.compensation is not None])
            await run_together([self._run(step) for step in stage])

    async def _run(self, step: Step) -> None:
        if step.kind is StepKind.PIVOT:
            self.pivot_started = True
            result = await self._run_pivot(step)
            self.state.past_pivot = True
        else:
            result = await self._run_step(step)
        self.results[step.name] = kept(step.gives, result)

    async def _run_step(self, step: Step) -> dict[str, Any]:
        status, retry = self.state.step(step.name), self._step_retry(step)
        while True:
            self._set(status, StepStatus.RUNNING, status.error)
            try:
                outcome = await self._activity(step.action, step, ACTION, retry)
            except ActivityError as error:
                self._failed(status, error, retry)
                if step.kind is not StepKind.RETRIABLE:
                    raise SagaRejected(error_info(error)) from error
                if await self._operator_decides(status) == "skip":
                    self._set(status, StepStatus.SKIPPED)
                    return {}
                continue
            except asyncio.CancelledError:
                self._set(status, StepStatus.FAILED, ErrorInfo("cancelled", "cancelled"))
                raise
            return self._succeeded(status, outcome)

    async def _run_pivot(self, step: Step) -> dict[str, Any]:
        """Rounds of retries with a growing timeout until the participant answers: an unknown
        outcome is never compensated. After a round runs out the saga shows NEEDS_ATTENTION
        (an operator may retry at once) while it carries on by itself."""
        status, retry = self.state.step(step.name), self._step_retry(step)
        round_number = 0
        while True:
            self._set(status, StepStatus.RUNNING, status.error)
            timeout = round_timeout(self.options, round_number)
            try:
                outcome = await self._activity(step.action, step, ACTION, retry, timeout)
            except ActivityError as error:
                self._failed(status, error, retry)
                if is_business_rejection(error):
                    raise SagaRejected(error_info(error)) from error
                self._set(status, StepStatus.RUNNING, status.error)
                round_number += 1
                await self._between_rounds(status)
                continue
            if self.waiting_step is status:
                self.waiting_step, self.resolution = None, None
                self._set_saga(SagaStatus.RUNNING)
            return self._succeeded(status, outcome)

    async def _between_rounds(self, status: StepState) -> None:
        """NEEDS_ATTENTION while the pivot's outcome is unknown; the next round starts after a
        pause, or at once when an operator says retry."""
        if self.waiting_step is not status:
            self.waiting_step = status
            self._set_saga(SagaStatus.NEEDS_ATTENTION)
            workflow.logger.warning("pivot %s has no answer yet: %s", status.name, status.error)
        pause = timedelta(seconds=self.options.retry_max_interval_seconds)
        try:
            await workflow.wait_condition(lambda: self.resolution is not None, timeout=pause)
        except builtins.TimeoutError:
            return
        self.resolution = None

    def _step_retry(self, step: Step) -> RetryPolicy:
        attempts = 0 if step.kind is StepKind.RETRIABLE else self.options.step_max_attempts
        return retry_policy(self.options, attempts)

    # -- compensation -------------------------------------------------------------------------

    async def _compensate(self) -> None:
        self._set_saga(SagaStatus.COMPENSATING)
        for stage in reversed(self.registered):
            await run_together([self._run_compensation(step) for step in stage])

    async def _run_compensation(self, step: Step) -> None:
        assert step.compensation is not None
        status = self.state.step(step.name)
        action_failed = status.status is StepStatus.FAILED
        retry = retry_policy(self.options, self.options.compensation_max_attempts)
        while True:
            self._set(status, StepStatus.COMPENSATING, status.error)
            try:
                outcome = await self._activity(step.compensation, step, COMPENSATION, retry)
            except ActivityError as error:
                status.compensation_attempts += attempts_of(error, retry)
                self._set(status, StepStatus.FAILED, error_info(error))
                if await self._operator_decides(status) == "skip":
                    self._set(status, StepStatus.SKIPPED, status.error)
                    return
                continue
            status.compensation_attempts += outcome.attempt
            # A failed action that the participant never applied stays FAILED: nothing was undone.
            nothing_undone = action_failed and outcome.body.get("compensated") is False
            final = StepStatus.FAILED if nothing_undone else StepStatus.COMPENSATED
            self._set(status, final, status.error)
            return

    # -- operator -----------------------------------------------------------------------------

    async def _operator_decides(self, step: StepState) -> str:
        """Park the saga in NEEDS_ATTENTION until an operator says retry or skip."""
        async with self.operator_turn:
            return await self._ask_operator(step)

    async def _ask_operator(self, step: StepState) -> str:
        previous = self.state.status
        self.waiting_step = step
        self._set_saga(SagaStatus.NEEDS_ATTENTION)
        workflow.logger.warning("saga needs attention at step %s: %s", step.name, step.error)
        await workflow.wait_condition(lambda: self.resolution is not None)
        assert self.resolution is not None
        action, self.resolution, self.waiting_step = self.resolution.action, None, None
        self._set_saga(previous)
        return action

    def validate_resolution(self, resolution: Resolution) -> None:
        check_resolution(self.state.status, self.resolution, self.waiting_step, resolution)

    def resolve(self, resolution: Resolution) -> SagaState:
        self.validate_resolution(resolution)
        stuck = self.waiting_step.name if self.waiting_step else None
        self.state.operator_actions.append(
            OperatorAction(
                resolution.actor, workflow.now(), resolution.action, resolution.reason, stuck
            )
        )
        self.resolution = resolution
        self.publisher.changed()
        return self.state

    # -- plumbing -----------------------------------------------------------------------------

    async def _activity(
        self, name: str, step: Step, role: str, retry: RetryPolicy, timeout: timedelta | None = None
    ) -> StepOutcome:
        data = step_input(step.takes, self.data, self.results)
        call = StepCall(self.state.saga_id, step.name, role, data, self.attempt)
        timeout = timeout or timedelta(seconds=self.options.step_timeout_seconds)
        return await call_step(name, call, timeout, retry, self.options.local_activities)

    def _set(self, step: StepState, status: StepStatus, error: ErrorInfo | None = None) -> None:
        step.status, step.error = status, error
        self.publisher.changed()

    def _failed(self, step: StepState, error: ActivityError, retry: RetryPolicy) -> None:
        step.attempts += attempts_of(error, retry)
        self._set(step, StepStatus.FAILED, error_info(error))

    def _succeeded(self, step: StepState, outcome: StepOutcome) -> dict[str, Any]:
        step.attempts += outcome.attempt
        self._set(step, StepStatus.SUCCEEDED)
        return outcome.body

    def _set_saga(self, status: SagaStatus) -> None:
        if status is not self.state.status:
            workflow.logger.info("saga %s is %s", self.state.saga_id, status.value)
        self.state.status = status
        self.publisher.changed()

    def _close(self, status: SagaStatus, error: ErrorInfo | None) -> SagaState:
        for step in self.state.steps:
            if step.status is StepStatus.PENDING:
                step.status = StepStatus.SKIPPED
        self.state.error = error
        self.state.closed_at = workflow.now()
        self._set_saga(status)
        self.publisher.flush()  # now: the workflow completes in this activation
        return self.state
