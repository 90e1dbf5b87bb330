"""Database statements as spans: one per statement, inside the trace of the request that runs it.

Apart from `tracing`, so that processes without a database (the worker) never import SQLAlchemy.
"""

from typing import Any

from opentelemetry import trace
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.metrics import NoOpMeterProvider
from sqlalchemy import Engine

from observability.tracing import provider


def trace_engine(engine: Engine) -> None:
    """A span per statement of this engine, in the trace of the request that runs it."""
    tracer_provider = provider()
    if tracer_provider is None:
        return
    tracer = ChildSpansOnly(tracer_provider.get_tracer("sqlalchemy"))
    # Per engine: the instrumentor itself is a process-wide singleton that patches create_engine.
    usage: Any = NoOpMeterProvider().get_meter("sqlalchemy").create_up_down_counter("unused")
    EngineTracer(tracer, engine, usage)  # type: ignore[no-untyped-call]


class ChildSpansOnly(trace.Tracer):
    """Statements outside any traced request (feed followers, migrations) start no trace of
    their own: they would bury the sagas' traces."""

    def __init__(self, tracer: trace.Tracer) -> None:
        self.tracer = tracer

    def start_span(self, name: str, context: Any = None, *args: Any, **kwargs: Any) -> trace.Span:
        if not trace.get_current_span(context).get_span_context().is_valid:
            return trace.INVALID_SPAN
        return self.tracer.start_span(name, context, *args, **kwargs)

    def start_as_current_span(
        self, name: str, context: Any = None, *args: Any, **kwargs: Any
    ) -> Any:
        if not trace.get_current_span(context).get_span_context().is_valid:
            return trace.use_span(trace.INVALID_SPAN)
        return self.tracer.start_as_current_span(name, context, *args, **kwargs)
