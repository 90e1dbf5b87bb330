"""How the engine calls a participant: one activity (or local activity) per step call."""

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, FailureError

with workflow.unsafe.imports_passed_through():
    from workflows.errors import local_activity_error
    from workflows.state import SagaOptions, StepCall, StepOutcome


async def call_step(
    name: str, call: StepCall, timeout: timedelta, retry: RetryPolicy, local: bool
) -> StepOutcome:
    if local:
        return await _local_activity(name, call, timeout, retry)
    outcome: StepOutcome = await workflow.execute_activity(
        name, call, result_type=StepOutcome, start_to_close_timeout=timeout, retry_policy=retry,
        summary=summary_of(call),
    )  # fmt: skip
    return outcome


def summary_of(call: StepCall) -> str:
    """The activity's one-line summary in the Web UI, e.g. `create_ticket · compensation`."""
    return f"{call.step} · {call.role}"


def retry_policy(options: SagaOptions, maximum_attempts: int) -> RetryPolicy:
    return RetryPolicy(
        initial_interval=timedelta(seconds=options.retry_initial_seconds),
        backoff_coefficient=2.0,
        maximum_interval=timedelta(seconds=options.retry_max_interval_seconds),
        maximum_attempts=maximum_attempts,
    )


def round_timeout(options: SagaOptions, round_number: int) -> timedelta:
    """A pivot's start-to-close timeout in its `round_number`-th round of retries (0 first):
    doubled each round, so a participant consistently slower than the step timeout is answered
    eventually; bounded by `pivot_max_timeout_seconds`."""
    seconds = options.step_timeout_seconds * 2 ** min(round_number, 30)
    return timedelta(
        seconds=max(options.step_timeout_seconds, min(seconds, options.pivot_max_timeout_seconds))
    )


async def _local_activity(
    name: str, call: StepCall, timeout: timedelta, retry: RetryPolicy
) -> StepOutcome:
    """A participant call as a local activity: it runs in the worker that runs the saga and is
    recorded as a marker, not as activity tasks. Safe because every participant call is
    idempotent (docs/performance.md)."""
    try:
        outcome: StepOutcome = await workflow.execute_local_activity(
            name, call, result_type=StepOutcome, start_to_close_timeout=timeout, retry_policy=retry,
            summary=summary_of(call),
        )  # fmt: skip
    except ActivityError:
        raise
    except FailureError as cause:
        raise local_activity_error(name, cause) from cause
    return outcome
