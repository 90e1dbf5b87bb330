"""One trace per saga: the API request, the workflow, its activities, the participants' handlers
and their database statements, compensations included."""

import httpx
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind

from tests.e2e.telemetry.conftest import Observed
from tests.support.eventually import eventually_async
from tests.support.sagas import place_order, saga_ends
from tests.support.seed import new_world


def trace_of_saga(observed: Observed, saga_id: str) -> list[ReadableSpan]:
    """Every span in the trace that started the saga's workflow."""
    spans = observed.finished_spans()
    [start] = [
        s
        for s in spans
        if s.name.startswith("StartWorkflow:")
        and (s.attributes or {}).get("temporalWorkflowID") == saga_id
    ]
    assert start.context is not None
    return [s for s in spans if s.context and s.context.trace_id == start.context.trace_id]


def ancestors(spans: list[ReadableSpan], span: ReadableSpan) -> list[ReadableSpan]:
    by_id = {s.context.span_id: s for s in spans if s.context}
    found = []
    while span.parent is not None and span.parent.span_id in by_id:
        span = by_id[span.parent.span_id]
        found.append(span)
    return found


def names(spans: list[ReadableSpan]) -> set[str]:
    return {span.name for span in spans}


def has(spans: list[ReadableSpan], *wanted: str) -> None:
    assert set(wanted) <= names(spans), sorted(names(spans))


async def saga_traced(observed: Observed, saga_id: str, *wanted: str) -> list[ReadableSpan]:
    async def traced() -> list[ReadableSpan]:
        spans = trace_of_saga(observed, saga_id)
        has(spans, *wanted)
        return spans

    return await eventually_async(traced)


async def test_one_trace_runs_from_the_api_to_the_participants_databases(
    observed: Observed, observed_api: httpx.AsyncClient
) -> None:
    stack = observed.stack
    world = await new_world(stack.http, stack.participants)
    accepted = await place_order(observed_api, world.order((0, 1)))
    assert (await saga_ends(observed_api, accepted["saga_id"]))["status"] == "COMPLETED"

    spans = await saga_traced(
        observed,
        accepted["saga_id"],
        "POST /orders",  # the API request (and the orders service's create order)
        "StartWorkflow:CreateOrder",
        "RunWorkflow:CreateOrder",
        "StartActivity:orders.create_order",
        "RunActivity:orders.create_order",
        "RunActivity:accounting.authorize_card",
        "POST /tickets",  # the kitchen's handler
    )
    [start] = [s for s in spans if s.name == "StartWorkflow:CreateOrder"]
    assert ("POST /orders", SpanKind.SERVER) in [
        (s.name, s.kind) for s in ancestors(spans, start)
    ], "the saga starts inside the API request"
    kinds = {span.kind for span in spans}
    assert SpanKind.CLIENT in kinds, "the httpx calls to the participants"
    statements = [s for s in spans if "db.system" in (s.attributes or {})]
    assert statements, "the participants' database statements"


async def test_a_compensation_is_in_the_trace_of_its_saga(
    observed: Observed, observed_api: httpx.AsyncClient
) -> None:
    stack = observed.stack
    world = await new_world(stack.http, stack.participants, credit_cents=100)
    accepted = await place_order(observed_api, world.order((0, 1)))
    saga = await saga_ends(observed_api, accepted["saga_id"])
    assert (saga["status"], saga["error"]["code"]) == ("COMPENSATED", "card_declined")

    await saga_traced(
        observed,
        accepted["saga_id"],
        "RunActivity:accounting.authorize_card",
        "RunActivity:kitchen.reject_ticket",
        "RunActivity:orders.reject_order",
        "POST /tickets/{order_id}/reject",
    )


async def test_feed_polls_and_background_statements_start_no_traces(observed: Observed) -> None:
    stack = observed.stack
    await new_world(stack.http, stack.participants)  # the orders replica polls the kitchen feed
    spans = observed.finished_spans()
    assert not [s.name for s in spans if "/events" in s.name or "/events" in str(s.attributes)]
    statements = [s for s in spans if "db.system" in (s.attributes or {})]
    assert statements and all(s.parent is not None for s in statements)
