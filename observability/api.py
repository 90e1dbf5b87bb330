"""The saga API's own metrics: sagas started by type (counted where the Temporal client starts
them) and sagas in NEEDS_ATTENTION (counted in Temporal's visibility store when scraped)."""

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from fastapi import FastAPI
from prometheus_client import Counter, Gauge
from temporalio.client import (
    Client,
    Interceptor,
    OutboundInterceptor,
    StartWorkflowInput,
    WorkflowHandle,
)

from observability.tracing import traced_client
from observability.web import AppMetrics, instrument_app, metrics_of

log = logging.getLogger("api.metrics")


class SagaStarts(Interceptor):
    def __init__(self, started: Counter) -> None:
        self.started = started

    def intercept_client(self, next: OutboundInterceptor) -> OutboundInterceptor:
        return _CountStarts(next, self.started)


class _CountStarts(OutboundInterceptor):
    def __init__(self, next: OutboundInterceptor, started: Counter) -> None:
        super().__init__(next)
        self.started = started

    async def start_workflow(self, input: StartWorkflowInput) -> WorkflowHandle[Any, Any]:
        handle = await super().start_workflow(input)  # a saga already started raises: not counted
        self.started.labels(input.workflow).inc()
        return handle


def observe_client(client: Client, app: FastAPI) -> Client:
    """The API's Temporal client: traced, and counting the sagas it starts."""
    started: Counter = app.state.saga_started
    config = traced_client(client).config()
    config["interceptors"] = [*config["interceptors"], SagaStarts(started)]
    return Client(**config)


def instrument_api(app: FastAPI, saga_types: Iterable[str]) -> None:
    """What every app gets (observability.web), and the count of sagas needing attention."""
    metrics = instrument_app(app, saga_calls=False)
    # Made here, once per app: the lifespan (and observe_client) may run more than once.
    app.state.saga_started = Counter(
        "saga_started", "sagas started by type", ["saga_type"], registry=metrics.registry
    )
    count_needs_attention(app, saga_types)


def count_needs_attention(app: FastAPI, saga_types: Iterable[str]) -> None:
    """A gauge of the sagas waiting for an operator, by type, refreshed at each scrape."""
    metrics: AppMetrics = metrics_of(app)
    gauge = Gauge(
        "saga_needs_attention",
        "sagas waiting for an operator (NEEDS_ATTENTION)",
        ["saga_type"],
        registry=metrics.registry,
    )
    metrics.refreshers.append(_refresh(app, gauge, list(saga_types)))


def _refresh(app: FastAPI, gauge: Gauge, saga_types: list[str]) -> Callable[[], Awaitable[None]]:
    async def refresh() -> None:
        client: Client | None = getattr(app.state, "temporal", None)
        if client is None:
            return
        for saga_type in saga_types:
            query = f"SagaType = '{saga_type}' AND SagaStatus = 'NEEDS_ATTENTION'"
            try:
                count = await client.count_workflows(query)
            except Exception as error:  # Temporal down: keep the last value, /metrics answers
                log.warning("cannot count sagas needing attention: %s", error)
                return
            gauge.labels(saga_type).set(count.count)

    return refresh
