"""One OpenTelemetry trace per saga: API request → workflow start → workflow → activity →
participant call → participant handler → its database transaction.

Tracing is on when OTEL_EXPORTER_OTLP_ENDPOINT is set (spans go there over OTLP/HTTP) or when a
test hands in its own provider (`use_tracer_provider`); otherwise every function here is a no-op
and nothing is instrumented. Context crosses HTTP in W3C `traceparent` headers and Temporal in
its headers (`TracingInterceptor`).
"""

import os

from opentelemetry import trace
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from temporalio.client import Client
from temporalio.contrib.opentelemetry import TracingInterceptor

from observability.config import ObservabilitySettings

_state: dict[str, TracerProvider | None] = {"provider": None}
# Feed polls (10 a second per follower), probes and scrapes are no saga's work: no spans.
# The instrumentations read this variable; an operator's own value wins.
EXCLUDED_URLS = "/events,/healthz,/readyz,/metrics"


def provider() -> TracerProvider | None:
    """The provider spans go to; None when tracing is off."""
    return _state["provider"]


def configure_tracing(service: str, settings: ObservabilitySettings | None = None) -> None:
    """Export spans over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; else leave tracing off."""
    settings = settings or ObservabilitySettings()
    if not settings.otel_exporter_otlp_endpoint:
        return
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    name = settings.otel_service_name or service
    tracer_provider = TracerProvider(resource=Resource.create({SERVICE_NAME: name}))
    tracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(tracer_provider)
    use_tracer_provider(tracer_provider)


def use_tracer_provider(tracer_provider: TracerProvider | None) -> None:
    """Send spans to this provider from now on (None: tracing off); outgoing httpx calls are
    traced while a provider is in use."""
    _state["provider"] = tracer_provider
    os.environ.setdefault("OTEL_PYTHON_EXCLUDED_URLS", EXCLUDED_URLS)
    httpx_instrumentor = HTTPXClientInstrumentor()
    if httpx_instrumentor.is_instrumented_by_opentelemetry:
        httpx_instrumentor.uninstrument()
    if tracer_provider is not None:
        httpx_instrumentor.instrument(tracer_provider=tracer_provider)


def excluded_urls() -> str:
    return os.environ.get("OTEL_PYTHON_EXCLUDED_URLS", EXCLUDED_URLS)


def traced_client(client: Client) -> Client:
    """The same Temporal connection, carrying the trace into workflows and activities (a
    worker built on this client traces them too)."""
    tracer_provider = provider()
    config = client.config()
    interceptors = list(config["interceptors"])
    if tracer_provider is None or any(isinstance(i, TracingInterceptor) for i in interceptors):
        return client
    tracer = tracer_provider.get_tracer("temporalio")
    config["interceptors"] = [*interceptors, TracingInterceptor(tracer)]
    return Client(**config)
