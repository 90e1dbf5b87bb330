"""The saga engine, written once for every saga definition.

It runs the steps in order; registers each step's compensation before the step runs; on a
business rejection, a cancellation or the deadline before the pivot it runs the registered
compensations in reverse order, in a scope that cancellation cannot interrupt; a compensation
that cannot succeed puts the saga in NEEDS_ATTENTION until an operator resolves it.
"""

import asyncio
import builtins
from collections.abc import Awaitable
from dataclasses import asdict
from datetime import timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey
from temporalio.exceptions import (
    ActivityError,
    ApplicationError,
    CancelledError,
    FailureError,
    RetryState,
    TimeoutError,
)

with workflow.unsafe.imports_passed_through():
    from workflows.definition import SagaDefinition, Step, StepKind
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

SAGA_TYPE = SearchAttributeKey.for_keyword("SagaType")
SAGA_STATUS = SearchAttributeKey.for_keyword("SagaStatus")
ACTION, COMPENSATION = "action", "compensation"
RESOLUTIONS = ("retry", "skip")
T = TypeVar("T")


class SagaRejected(Exception):
    """A step before or at the pivot failed for good: the saga must compensate."""

    def __init__(self, error: ErrorInfo) -> None:
        super().__init__(error.message)
        self.error = error


class SagaRun:
    def __init__(
        self, definition: SagaDefinition, saga_id: str, data: dict[str, Any], options: SagaOptions
    ) -> None:
        self.definition = definition
        self.data = data
        self.options = options
        self.results: dict[str, Any] = {}
        self.registered: list[Step] = []
        self.pivot_started = False
        self.resolution: Resolution | None = None
        self.state = SagaState(
            saga_id=saga_id,
            saga_type=definition.saga_type,
            status=SagaStatus.RUNNING,
            steps=[
                StepState(step.name, step.kind.value, compensation=step.compensation)
                for step in definition.steps
            ],
            started_at=workflow.info().start_time,
        )

    # -- the saga -----------------------------------------------------------------------------

    async def execute(self) -> SagaState:
        if not self._started_published():
            self._publish(SagaStatus.RUNNING, saga_type=True)
        forward = asyncio.create_task(self._forward())
        stop = await self._await_forward(forward)
        rejection = await _outcome(forward)
        if stop is None and rejection is None:
            return self._close(SagaStatus.COMPLETED, None)
        await _uninterruptible(self._compensate())
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
        for step in self.definition.steps:
            if step.compensation is not None:
                self.registered.append(step)  # before the step runs: it may commit and time out
            if step.kind is StepKind.PIVOT:
                self.pivot_started = True
            self.results[step.name] = await self._run_step(step)
            if step.kind is StepKind.PIVOT:
                self.state.past_pivot = True

    async def _run_step(self, step: Step) -> dict[str, Any]:
        status, retry = self.state.step(step.name), self._step_retry(step)
        while True:
            status.status = StepStatus.RUNNING
            try:
                outcome = await self._activity(step.action, step, ACTION, retry)
            except ActivityError as error:
                status.status, status.error = StepStatus.FAILED, _error_info(error)
                status.attempts += _attempts(error, retry)
                if step.kind is not StepKind.RETRIABLE:
                    raise SagaRejected(status.error) from error
                if await self._operator_decides(status) == "skip":
                    status.status = StepStatus.SKIPPED
                    return {}
                continue
            except asyncio.CancelledError:
                status.status, status.error = StepStatus.FAILED, ErrorInfo("cancelled", "cancelled")
                raise
            status.status, status.error = StepStatus.SUCCEEDED, None
            status.attempts += outcome.attempt
            return outcome.body

    def _step_retry(self, step: Step) -> RetryPolicy:
        attempts = 0 if step.kind is StepKind.RETRIABLE else self.options.step_max_attempts
        return self._retry(attempts)

    # -- compensation -------------------------------------------------------------------------

    async def _compensate(self) -> None:
        self._publish(SagaStatus.COMPENSATING)
        for step in reversed(self.registered):
            await self._run_compensation(step)

    async def _run_compensation(self, step: Step) -> None:
        assert step.compensation is not None
        status = self.state.step(step.name)
        action_failed = status.status is StepStatus.FAILED
        retry = self._retry(self.options.compensation_max_attempts)
        while True:
            status.status = StepStatus.COMPENSATING
            try:
                outcome = await self._activity(step.compensation, step, COMPENSATION, retry)
            except ActivityError as error:
                status.compensation_attempts += _attempts(error, retry)
                status.status, status.error = StepStatus.FAILED, _error_info(error)
                if await self._operator_decides(status) == "skip":
                    status.status = StepStatus.SKIPPED
                    return
                continue
            status.compensation_attempts += outcome.attempt
            # A failed action that the participant never applied stays FAILED: nothing was undone.
            nothing_undone = action_failed and outcome.body.get("compensated") is False
            status.status = StepStatus.FAILED if nothing_undone else StepStatus.COMPENSATED
            return

    # -- operator -----------------------------------------------------------------------------

    async def _operator_decides(self, step: StepState) -> str:
        """Park the saga in NEEDS_ATTENTION until an operator says retry or skip."""
        previous = self.state.status
        self._publish(SagaStatus.NEEDS_ATTENTION)
        workflow.logger.warning("saga needs attention at step %s: %s", step.name, step.error)
        await workflow.wait_condition(lambda: self.resolution is not None)
        assert self.resolution is not None
        action, self.resolution = self.resolution.action, None
        self._publish(previous)
        return action

    def validate_resolution(self, resolution: Resolution) -> None:
        if self.state.status is not SagaStatus.NEEDS_ATTENTION:
            raise ApplicationError(
                f"saga is {self.state.status}, only a NEEDS_ATTENTION saga can be resolved",
                type="saga_not_needing_attention",
            )
        if resolution.action not in RESOLUTIONS:
            raise ApplicationError(
                f"action must be one of {RESOLUTIONS}", type="invalid_resolution"
            )

    def resolve(self, resolution: Resolution) -> SagaState:
        stuck = next((s.name for s in self.state.steps if s.status is StepStatus.FAILED), None)
        self.state.operator_actions.append(
            OperatorAction(
                resolution.actor, workflow.now(), resolution.action, resolution.reason, stuck
            )
        )
        self.resolution = resolution
        return self.state

    # -- plumbing -----------------------------------------------------------------------------

    async def _activity(self, name: str, step: Step, role: str, retry: RetryPolicy) -> StepOutcome:
        call = StepCall(self.state.saga_id, step.name, role, self.data, dict(self.results))
        timeout = timedelta(seconds=self.options.step_timeout_seconds)
        if self.options.local_activities:
            return await _local_activity(name, call, timeout, retry)
        outcome: StepOutcome = await workflow.execute_activity(
            name, call, result_type=StepOutcome, start_to_close_timeout=timeout, retry_policy=retry
        )
        return outcome

    def _retry(self, maximum_attempts: int) -> RetryPolicy:
        return RetryPolicy(
            initial_interval=timedelta(seconds=self.options.retry_initial_seconds),
            backoff_coefficient=2.0,
            maximum_interval=timedelta(seconds=self.options.retry_max_interval_seconds),
            maximum_attempts=maximum_attempts,
        )

    def _publish(self, status: SagaStatus, *, saga_type: bool = False) -> None:
        """Set the saga status and keep the search attributes in step with it."""
        if status is not self.state.status or saga_type:
            workflow.logger.info("saga %s is %s", self.state.saga_id, status.value)
        self.state.status = status
        updates = [SAGA_STATUS.value_set(status.value)]
        if saga_type:
            updates.append(SAGA_TYPE.value_set(self.definition.saga_type))
        workflow.upsert_search_attributes(updates)

    def _started_published(self) -> bool:
        """The starter set SagaType and SagaStatus=RUNNING already (the API does): upserting them
        again would cost the server one more visibility write per saga."""
        attributes = workflow.info().typed_search_attributes
        return (
            attributes.get(SAGA_TYPE) == self.definition.saga_type
            and attributes.get(SAGA_STATUS) == SagaStatus.RUNNING.value
        )

    def _close(self, status: SagaStatus, error: ErrorInfo | None) -> SagaState:
        for step in self.state.steps:
            if step.status is StepStatus.PENDING:
                step.status = StepStatus.SKIPPED
        self.state.error = error
        self.state.closed_at = workflow.now()
        self._publish(status)
        return self.state


def saga_data(saga_input: Any) -> dict[str, Any]:
    """The saga input as the plain data every step receives (without the options)."""
    data = asdict(saga_input)
    data.pop("options", None)
    return data


async def _local_activity(
    name: str, call: StepCall, timeout: timedelta, retry: RetryPolicy
) -> StepOutcome:
    """A participant call as a local activity: it runs in the worker that runs the saga and is
    recorded as a marker, not as activity tasks. Safe because every participant call is
    idempotent (docs/performance.md). Its failures arrive without the ActivityError wrapper:
    add it, so that the saga treats both kinds of step alike."""
    try:
        outcome: StepOutcome = await workflow.execute_local_activity(
            name, call, result_type=StepOutcome, start_to_close_timeout=timeout, retry_policy=retry
        )
    except ActivityError:
        raise
    except FailureError as cause:
        raise _activity_error(name, cause) from cause
    return outcome


def _activity_error(name: str, cause: FailureError) -> ActivityError:
    state = None
    if isinstance(cause, ApplicationError | TimeoutError):
        final = isinstance(cause, ApplicationError) and cause.non_retryable
        state = RetryState.NON_RETRYABLE_FAILURE if final else RetryState.MAXIMUM_ATTEMPTS_REACHED
    return ActivityError(
        f"local activity {name} failed",
        scheduled_event_id=0,
        started_event_id=0,
        identity="",
        activity_type=name,
        activity_id="",
        retry_state=state,
    )


async def _outcome(forward: asyncio.Task[None]) -> ErrorInfo | None:
    try:
        await forward
    except SagaRejected as rejected:
        return rejected.error
    except asyncio.CancelledError:
        return None
    return None


async def _uninterruptible(work: Awaitable[T]) -> T:
    """Run `work` to its end even when the workflow is cancelled meanwhile."""
    task = asyncio.ensure_future(work)
    while True:
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if task.cancelled():
                raise


def _error_info(error: ActivityError) -> ErrorInfo:
    cause = error.cause
    if error.retry_state in (RetryState.MAXIMUM_ATTEMPTS_REACHED, RetryState.TIMEOUT):
        return ErrorInfo("retries_exhausted", f"gave up after retries: {cause}")
    if isinstance(cause, ApplicationError):
        return ErrorInfo(cause.type or "activity_error", cause.message)
    if isinstance(cause, TimeoutError):
        return ErrorInfo("timeout", f"step timed out ({cause.type})")
    if isinstance(cause, CancelledError):  # the saga was cancelled while the step ran
        return ErrorInfo("cancelled", "the step was cancelled")
    return ErrorInfo("activity_failed", str(cause or error))


def _attempts(error: ActivityError, retry: RetryPolicy) -> int:
    """The attempt number the activity reported in its error details; for a failure without
    them (a timeout) that ran out of retries, the policy's maximum; else 1."""
    cause = error.cause
    if isinstance(cause, ApplicationError) and cause.details:
        detail = cause.details[0]
        if isinstance(detail, dict) and isinstance(detail.get("attempt"), int):
            return int(detail["attempt"])
    if error.retry_state is RetryState.MAXIMUM_ATTEMPTS_REACHED and retry.maximum_attempts > 0:
        return retry.maximum_attempts
    return 1
