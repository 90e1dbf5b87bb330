"""What every FastAPI app of the system gets by construction: request metrics, `GET /metrics`
(open, like /healthz), saga fields on the log lines of participant calls, and server spans
when tracing is on."""

import time
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, FastAPI, Request, Response
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest

from observability.context import from_idempotency_key, saga_context
from observability.feeds import feed_lag
from observability.tracing import excluded_urls, provider

Refresh = Callable[[], Awaitable[None]]
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class AppMetrics:
    """One registry per app (several apps share a process in tests); `refreshers` run before
    each scrape, for gauges that are read rather than counted."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.refreshers: list[Refresh] = []
        self.requests = Histogram(
            "http_request_duration_seconds",
            "HTTP requests by route template and status",
            ["method", "route", "status"],
            registry=self.registry,
            buckets=BUCKETS,
        )

    async def render(self) -> bytes:
        for refresh in self.refreshers:
            await refresh()
        return generate_latest(self.registry)


def metrics_of(app: FastAPI) -> AppMetrics:
    metrics: AppMetrics = app.state.metrics
    return metrics


def instrument_app(app: FastAPI, saga_calls: bool = True) -> AppMetrics:
    """Request metrics, /metrics, the log context and (when tracing is on) spans: for the API,
    every participant and the view. `saga_calls`: the app is called by saga steps, whose
    Idempotency-Key names the saga, step and direction (the API's keys are the clients')."""
    app.state.metrics = metrics = AppMetrics()
    metrics.refreshers.append(feed_lag(app, metrics))
    app.include_router(metrics_router())

    @app.middleware("http")
    async def observe(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.monotonic()
        key = request.headers.get("idempotency-key") if saga_calls else None
        with saga_context(**from_idempotency_key(key)):
            response = await call_next(request)
        route = route_of(request)
        metrics.requests.labels(request.method, route, str(response.status_code)).observe(
            time.monotonic() - started
        )
        return response

    tracer_provider = provider()
    if tracer_provider is not None:
        FastAPIInstrumentor.instrument_app(
            app, tracer_provider=tracer_provider, excluded_urls=excluded_urls()
        )
    return metrics


def route_of(request: Request) -> str:
    """The route's template (`/orders/{order_id}`), never the raw path: ids are no labels."""
    route = request.scope.get("route")
    return str(getattr(route, "path", "unmatched"))


def metrics_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/metrics", response_class=Response)
    async def metrics(request: Request) -> Response:
        """Prometheus text format."""
        body = await metrics_of(request.app).render()
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return router
