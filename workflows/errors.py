"""The engine's error taxonomy: what a failed step's activity error means for the saga.

* a business rejection (non-retryable `ApplicationError` from the participant): final, the saga
  compensates before its pivot;
* anything else (timeouts, technical failures, retries run out): the outcome is unknown or
  temporary — the step may be tried again.
"""

from temporalio.common import RetryPolicy
from temporalio.exceptions import (
    ActivityError,
    ApplicationError,
    CancelledError,
    FailureError,
    RetryState,
    TimeoutError,
)

from workflows.state import ErrorInfo


class SagaRejected(Exception):
    """A step before or at the pivot failed for good: the saga must compensate."""

    def __init__(self, error: ErrorInfo) -> None:
        super().__init__(error.message)
        self.error = error


def is_business_rejection(error: ActivityError) -> bool:
    """The participant answered "no": retrying with the same key would get the same answer."""
    cause = error.cause
    return (
        error.retry_state is RetryState.NON_RETRYABLE_FAILURE
        and isinstance(cause, ApplicationError)
        and cause.non_retryable
    )


def error_info(error: ActivityError) -> ErrorInfo:
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


def attempts_of(error: ActivityError, retry: RetryPolicy) -> int:
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


def local_activity_error(name: str, cause: FailureError) -> ActivityError:
    """A local activity's failure arrives without the ActivityError wrapper: add it, so that
    the saga treats both kinds of step alike."""
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
