"""Metrics of every process, read from their Prometheus endpoints after sagas of each outcome."""

import httpx

from tests.e2e.telemetry.conftest import Observed, Samples, scrape, value
from tests.support.eventually import eventually_async
from tests.support.sagas import Faults, place_order, saga_ends, saga_reaches
from tests.support.seed import new_world

CREATE = "CreateOrder"


async def run_sagas(observed: Observed, api: httpx.AsyncClient) -> dict[str, str]:
    """One completed, one compensated (card declined), one rejected at its first step:
    saga id → final status."""
    stack = observed.stack
    world = await new_world(stack.http, stack.participants)
    poor = await new_world(stack.http, stack.participants, credit_cents=100)
    bodies = [
        world.order((0, 1)),
        poor.order((0, 1)),
        world.order((0, 1)) | {"restaurant_id": "nowhere"},
    ]
    ended = {}
    for body in bodies:
        accepted = await place_order(api, body)
        ended[accepted["saga_id"]] = (await saga_ends(api, accepted["saga_id"]))["status"]
    assert sorted(ended.values()) == ["COMPENSATED", "COMPENSATED", "COMPLETED"], ended
    return ended


async def test_the_api_counts_sagas_started_and_times_requests_by_route(
    observed: Observed, observed_api: httpx.AsyncClient
) -> None:
    metrics_url = f"{observed.stack.api.url}/metrics"
    before = await scrape(observed.stack.http, metrics_url)  # no token: open like /healthz
    ended = await run_sagas(observed, observed_api)
    after = await scrape(observed.stack.http, metrics_url)

    started = "saga_started_total"
    assert value(after, started, saga_type=CREATE) - value(before, started, saga_type=CREATE) == 3
    requests = "http_request_duration_seconds_count"
    posted = {"route": "/orders", "method": "POST", "status": "202"}
    assert value(after, requests, **posted) - value(before, requests, **posted) == 3
    assert value(after, requests, route="/sagas/{saga_id}") > 0
    text = (await observed.stack.http.get(metrics_url)).text
    assert not any(saga_id in text for saga_id in ended), "no ids as labels"


async def test_the_worker_counts_sagas_steps_and_compensations(
    observed: Observed, observed_api: httpx.AsyncClient
) -> None:
    http, url = observed.stack.http, observed.worker_metrics_url
    before = await scrape(http, url)
    await run_sagas(observed, observed_api)

    def grew(after: Samples, name: str, by: float, **labels: str) -> None:
        delta = value(after, name, **labels) - value(before, name, **labels)
        assert delta == by, (name, labels, delta)

    async def counted() -> Samples:
        after = await scrape(http, url)
        grew(after, "saga_finished_total", 1, saga_type=CREATE, status="COMPLETED")
        grew(after, "saga_finished_total", 2, saga_type=CREATE, status="COMPENSATED")
        return after

    after = await eventually_async(counted)
    grew(after, "saga_compensations_total", 1, saga_type=CREATE, step="create_ticket")
    # the rejected create_order committed nothing: its compensation ran but undid nothing
    grew(after, "saga_compensations_total", 1, saga_type=CREATE, step="create_order")
    attempts = "saga_step_attempts_total"
    grew(after, attempts, 1, step="authorize_card", direction="action", outcome="rejected")
    grew(after, attempts, 1, step="create_order", direction="action", outcome="rejected")
    grew(after, attempts, 1, step="approve_order", direction="action", outcome="succeeded")
    grew(after, attempts, 2, step="create_order", direction="compensation", outcome="succeeded")
    step_seconds = "saga_step_duration_seconds_count"
    grew(after, step_seconds, 1, saga_type=CREATE, step="create_ticket", direction="compensation")
    assert any(name.startswith("temporal_") for name, _ in after), "the SDK's own metrics"


async def test_sagas_needing_attention_are_a_gauge(
    observed: Observed, observed_api: httpx.AsyncClient, observed_faults: Faults
) -> None:
    stack = observed.stack
    metrics_url = f"{stack.api.url}/metrics"
    gauge = "saga_needs_attention"
    before = value(await scrape(stack.http, metrics_url), gauge, saga_type=CREATE)
    world = await new_world(stack.http, stack.participants, credit_cents=100)
    await observed_faults.add(stack.participants.kitchen, r"/tickets/.*/reject", status=503)
    saga_id = (await place_order(observed_api, world.order((0, 1))))["saga_id"]
    await saga_reaches(observed_api, saga_id, "NEEDS_ATTENTION")

    async def counted(expected: float) -> None:
        samples = await scrape(stack.http, metrics_url)
        assert value(samples, gauge, saga_type=CREATE) == expected

    await eventually_async(lambda: counted(before + 1))
    await observed_faults.clear()
    body = {"action": "retry", "reason": "kitchen is back"}
    assert (await observed_api.post(f"/sagas/{saga_id}/resolve", json=body)).status_code == 202
    await saga_ends(observed_api, saga_id)
    await eventually_async(lambda: counted(before))


async def test_participants_serve_request_metrics_and_their_feed_lag(observed: Observed) -> None:
    stack = observed.stack
    await new_world(stack.http, stack.participants)  # creates a restaurant: the replica follows
    orders = await scrape(stack.http, f"{stack.participants.orders.url}/metrics")
    assert value(orders, "feed_lag_seconds", source="kitchen") >= 0
    assert ("feed_caught_up", frozenset({("source", "kitchen")})) in orders
    kitchen = await scrape(stack.http, f"{stack.participants.kitchen.url}/metrics")
    created = {"route": "/restaurants", "method": "POST", "status": "201"}
    assert value(kitchen, "http_request_duration_seconds_count", **created) >= 1
