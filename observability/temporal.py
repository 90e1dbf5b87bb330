"""Saga metrics and log fields from Temporal interceptors, so that every saga and step gets
them by construction: nothing to add in a new saga definition or activity.

Workflow-side metrics go through `workflow.metric_meter()` (not recorded during replay) and
activity-side ones through `activity.metric_meter()`; both land in the worker's Temporal
runtime, which serves them with the SDK's own metrics on its Prometheus endpoint.
"""

import logging
import time
from typing import Any

from temporalio import activity, workflow
from temporalio.exceptions import ApplicationError, FailureError
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    ExecuteWorkflowInput,
    Interceptor,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
)

from observability.context import saga_context

log = logging.getLogger("saga.steps")
STEP_SECONDS = "saga_step_duration_seconds"
LOG_LEVELS = {"succeeded": logging.DEBUG, "rejected": logging.INFO, "failed": logging.WARNING}
STEP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]


def metrics_runtime(bind_address: str) -> Runtime:
    """A Temporal runtime serving Prometheus metrics on `bind_address` (host:port)."""
    prometheus = PrometheusConfig(
        bind_address=bind_address,
        counters_total_suffix=True,
        durations_as_seconds=True,
        histogram_bucket_overrides={STEP_SECONDS: STEP_BUCKETS},
    )
    return Runtime(telemetry=TelemetryConfig(metrics=prometheus))


class SagaInterceptor(Interceptor):
    """Give it to the worker: `Worker(..., interceptors=[SagaInterceptor()])`."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _StepObserver(next)

    def workflow_interceptor_class(
        self, input: WorkflowInterceptorClassInput
    ) -> type[WorkflowInboundInterceptor]:
        return _SagaObserver


class _StepObserver(ActivityInboundInterceptor):
    """Each step attempt: its duration and outcome, and the saga fields on its log lines."""

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        info = activity.info()
        call = input.args[0] if input.args else None
        labels = {
            "saga_type": info.workflow_type or "",
            "step": str(getattr(call, "step", info.activity_type)),
            "direction": str(getattr(call, "role", "action")),
        }
        started = time.monotonic()
        with saga_context(saga_id=info.workflow_id, attempt=info.attempt, **labels):
            try:
                result = await self.next.execute_activity(input)
            except BaseException as error:
                _record_step(labels, started, _outcome(error))
                raise
            _record_step(labels, started, "succeeded")
            return result


def _outcome(error: BaseException) -> str:
    if isinstance(error, ApplicationError) and error.non_retryable:
        return "rejected"  # a business rejection
    return "failed"  # a technical failure: retried


def _record_step(labels: dict[str, str], started: float, outcome: str) -> None:
    meter = activity.metric_meter()
    seconds = time.monotonic() - started
    meter.create_histogram_float(STEP_SECONDS, "step attempt duration", "s").record(seconds, labels)
    meter.create_counter("saga_step_attempts", "step attempts by outcome").add(
        1, labels | {"outcome": outcome}
    )
    level = LOG_LEVELS[outcome]
    log.log(level, "step %s %s %s in %.3fs", labels["step"], labels["direction"], outcome, seconds)


class _SagaObserver(WorkflowInboundInterceptor):
    """Each saga's end: its final status and the compensations it ran."""

    async def execute_workflow(self, input: ExecuteWorkflowInput) -> Any:
        try:
            result = await self.next.execute_workflow(input)
        except FailureError:
            _record_saga_end("FAILED", [])
            raise
        _record_saga_end(str(getattr(result, "status", "COMPLETED")), getattr(result, "steps", []))
        return result


def _record_saga_end(status: str, steps: list[Any]) -> None:
    meter = workflow.metric_meter()
    saga_type = workflow.info().workflow_type
    meter.create_counter("saga_finished", "sagas finished by status").add(
        1, {"saga_type": saga_type, "status": status}
    )
    compensations = meter.create_counter("saga_compensations", "compensated steps")
    for step in steps:
        if str(getattr(step, "status", "")) == "COMPENSATED":
            compensations.add(1, {"saga_type": saga_type, "step": str(step.name)})
