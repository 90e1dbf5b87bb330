"""Log records become JSON lines carrying the saga fields and the trace id that apply."""

import io
import json
import logging
from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace import TracerProvider

from observability.config import ObservabilitySettings
from observability.context import from_idempotency_key, saga_context
from observability.logs import SagaFields, formatter, json_wanted


@pytest.fixture
def lines() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter(json_lines=True))
    handler.addFilter(SagaFields())
    logger = logging.getLogger("test.logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, out
    logger.removeHandler(handler)


def record(out: io.StringIO) -> dict[str, object]:
    parsed: dict[str, object] = json.loads(out.getvalue().splitlines()[-1])
    return parsed


def test_temporal_activity_info_becomes_saga_fields(lines) -> None:
    logger, out = lines
    info = {"workflow_id": "create-order-1", "workflow_type": "CreateOrder", "attempt": 3,
            "activity_type": "kitchen.create_ticket"}  # fmt: skip
    logger.info("retrying", extra={"temporal_activity": info})
    line = record(out)
    assert (line["saga_id"], line["saga_type"], line["attempt"]) == (
        "create-order-1",
        "CreateOrder",
        3,
    )
    assert (line["message"], line["level"], line["logger"]) == ("retrying", "INFO", "test.logs")


def test_temporal_workflow_info_becomes_saga_fields(lines) -> None:
    logger, out = lines
    info = {"workflow_id": "cancel-order-2", "workflow_type": "CancelOrder", "attempt": 1}
    logger.info("saga is RUNNING", extra={"temporal_workflow": info})
    line = record(out)
    assert (line["saga_id"], line["saga_type"]) == ("cancel-order-2", "CancelOrder")
    assert "attempt" not in line and "temporal_workflow" not in line


def test_the_saga_context_and_the_current_span_are_on_every_line(lines) -> None:
    logger, out = lines
    tracer = TracerProvider().get_tracer("test")
    with (
        tracer.start_as_current_span("step") as span,
        saga_context(**from_idempotency_key("create-order-9:create_ticket:compensation")),
    ):
        logger.warning("ticket not found")
    line = record(out)
    assert (line["saga_id"], line["step"], line["direction"]) == (
        "create-order-9", "create_ticket", "compensation"
    )  # fmt: skip
    assert line["trace_id"] == format(span.get_span_context().trace_id, "032x")


def test_lines_outside_a_saga_carry_no_saga_fields(lines) -> None:
    logger, out = lines
    logger.info("ready")
    assert {"saga_id", "step", "trace_id"}.isdisjoint(record(out))


def test_json_unless_text_is_asked_for_on_a_terminal() -> None:
    assert json_wanted("json") and not json_wanted("text")
    assert ObservabilitySettings().log_format == "auto"


def test_an_idempotency_key_names_the_saga_step_and_direction() -> None:
    assert from_idempotency_key("revise-order-a:b-1:begin_revise:action") == {
        "saga_id": "revise-order-a:b-1", "step": "begin_revise", "direction": "action"
    }  # fmt: skip
    assert from_idempotency_key("cart-42") == {}
    assert from_idempotency_key(None) == {}
