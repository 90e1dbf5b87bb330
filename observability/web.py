"""What every FastAPI app of the system gets by construction: request metrics, `GET /metrics`
(open, like /healthz), saga fields on the log lines of participant calls, and server spans
when tracing is on."""

import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from starlette.types import ASGIApp, Receive, Scope, Send

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
    app.add_middleware(Observe, metrics=metrics, saga_calls=saga_calls)

    tracer_provider = provider()
    if tracer_provider is not None:
        FastAPIInstrumentor.instrument_app(
            app, tracer_provider=tracer_provider, excluded_urls=excluded_urls()
        )
    return metrics


class Observe:
    """Times each HTTP request into `metrics` by route template and status, with the saga fields
    of its Idempotency-Key on every log line written meanwhile. Plain ASGI: Starlette's
    `BaseHTTPMiddleware` would run each request in a task of its own and relay its response
    through a stream, work every call paid for."""

    def __init__(self, app: ASGIApp, metrics: AppMetrics, saga_calls: bool) -> None:
        self.app = app
        self.metrics = metrics
        self.saga_calls = saga_calls

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        status: list[int] = []

        async def send_status(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        key = _header(scope, b"idempotency-key") if self.saga_calls else None
        with saga_context(**from_idempotency_key(key)):
            await self.app(scope, receive, send_status)
        if status:
            route = str(getattr(scope.get("route"), "path", "unmatched"))
            self.metrics.requests.labels(scope["method"], route, str(status[0])).observe(
                time.monotonic() - started
            )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


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
