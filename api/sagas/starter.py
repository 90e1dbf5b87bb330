"""What a route needs to start a saga: the Temporal client, the task queue, each type's options."""

from dataclasses import dataclass
from typing import Any

from temporalio.client import Client

from api.config import SagaSettings
from api.sagas.projection import SagaProjection
from api.sagas.start import Started, next_attempt, start_saga
from workflows.state import SagaOptions


@dataclass(frozen=True)
class SagaStarter:
    temporal: Client
    sagas: SagaSettings
    task_queue: str
    projection: SagaProjection | None = None  # follows each saga it starts

    def options(self, saga_type: str) -> SagaOptions:
        return self.sagas.options_for(saga_type)

    async def next_attempt(self, saga_id: str) -> int:
        return await next_attempt(self.temporal, saga_id)

    async def start(
        self,
        saga_type: str,
        saga_input: Any,
        saga_id: str,
        fingerprint: str | None = None,
        attempt: int = 1,
    ) -> Started:
        """`start_saga` on this API's task queue; the status read model follows the saga."""
        started = await start_saga(
            self.temporal, saga_type, saga_input, saga_id, self.task_queue, fingerprint, attempt
        )
        if self.projection is not None and not started.duplicate:
            await self.projection.follow(saga_id)
        return started
