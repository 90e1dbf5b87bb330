"""What every saga workflow shares: the engine run, the status query, the resolve update."""

from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from workflows.definition import SagaDefinition
    from workflows.engine import SagaRun, saga_data
    from workflows.state import Resolution, SagaOptions, SagaState

STATUS_QUERY = "status"
RESOLVE_UPDATE = "resolve"


class SagaWorkflow:
    """Base class: a subclass names its definition and runs `self.saga.execute()`."""

    definition: SagaDefinition

    def _start(self, saga_input: Any, options: SagaOptions) -> None:
        data = saga_data(saga_input)
        attempt = int(getattr(saga_input, "attempt", 1))
        self.saga = SagaRun(self.definition, workflow.info().workflow_id, data, options, attempt)

    @workflow.query(name=STATUS_QUERY)
    def status(self) -> SagaState:
        return self.saga.state

    @workflow.update(name=RESOLVE_UPDATE)
    def resolve(self, resolution: Resolution) -> SagaState:
        return self.saga.resolve(resolution)

    @resolve.validator
    def validate_resolve(self, resolution: Resolution) -> None:
        self.saga.validate_resolution(resolution)
