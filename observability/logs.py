"""Logging for every process: one JSON object per line, or readable text on a terminal.

Each record gets the saga fields that apply (`saga_id`, `saga_type`, `step`, `direction`,
`attempt`) and the OpenTelemetry `trace_id`/`span_id`: from Temporal's workflow and activity
loggers (their `extra`), from the saga context (`observability.context`) and the current span.
"""

import logging
import sys
from typing import Any

from opentelemetry import trace
from pythonjsonlogger.json import JsonFormatter
from temporalio import activity, workflow

from observability.config import ObservabilitySettings
from observability.context import FIELDS, current

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s%(saga)s"
JSON_FIELDS = "{levelname}{name}{message}"


class SagaFields(logging.Filter):
    """Puts the saga fields and the trace id on the record (as attributes)."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = temporal_fields(record) | current()
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            fields["trace_id"] = trace.format_trace_id(span.trace_id)
            fields["span_id"] = trace.format_span_id(span.span_id)
        for name, value in fields.items():
            setattr(record, name, value)
        record.saga = "".join(f" {n}={fields[n]}" for n in FIELDS if n in fields)
        return True


def temporal_fields(record: logging.LogRecord) -> dict[str, Any]:
    """Temporal's loggers put the workflow's or the activity's info in `extra`."""
    info = getattr(record, "temporal_activity", None) or getattr(record, "temporal_workflow", None)
    if not isinstance(info, dict):
        return {}
    fields = {"saga_id": info.get("workflow_id"), "saga_type": info.get("workflow_type")}
    if "activity_type" in info:
        fields["attempt"] = info.get("attempt")
    return {name: value for name, value in fields.items() if value is not None}


def json_wanted(setting: str) -> bool:
    return setting == "json" or (setting == "auto" and not sys.stderr.isatty())


def formatter(json_lines: bool) -> logging.Formatter:
    if not json_lines:
        return logging.Formatter(TEXT_FORMAT)
    return JsonFormatter(
        JSON_FIELDS,
        style="{",
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp="time",  # ISO 8601, UTC
        reserved_attrs=[
            *JsonFormatter().reserved_attrs,
            "saga",
            "temporal_workflow",
            "color_message",
        ],
    )


def configure_logging(level: str = "info", settings: ObservabilitySettings | None = None) -> None:
    settings = settings or ObservabilitySettings()
    json_lines = json_wanted(settings.log_format)
    handler = logging.StreamHandler()
    handler.setFormatter(formatter(json_lines))
    handler.addFilter(SagaFields())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # One line per outgoing request (feed polls every 100 ms, participant calls) drowns the
    # logs that matter; failures are logged by the callers.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # In JSON the workflow and activity info are fields: keep it out of the message.
    workflow.logger.workflow_info_on_message = not json_lines
    activity.logger.activity_info_on_message = not json_lines
