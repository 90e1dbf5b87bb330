"""The `saga` command line against the real stack: listing, status, watching, cancelling,
repairing, load, and an exit code of its own for each kind of failure."""

import asyncio
import sys
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from api.routes.orders import new_order_id
from cli.api import (
    EXIT_CONFLICT,
    EXIT_NOT_FOUND,
    EXIT_UNAUTHORIZED,
    EXIT_UNREACHABLE,
)
from tests.support.cli import Saga
from tests.support.eventually import eventually_async
from tests.support.sagas import (
    Faults,
    order_held_at,
    place_order,
    saga_ends,
    saga_reaches,
    unique,
)
from tests.support.seed import new_world
from tests.support.servers import free_port
from tests.support.stack import Stack


@pytest.fixture
def saga(stack: Stack) -> Saga:
    return Saga(stack)


async def completed_saga(stack: Stack, api: httpx.AsyncClient) -> str:
    world = await new_world(stack.http, stack.participants)
    accepted = await place_order(api, world.order((0, 1)))
    assert (await saga_ends(api, accepted["saga_id"]))["status"] == "COMPLETED"
    saga_id: str = accepted["saga_id"]
    return saga_id


async def test_list_shows_the_sagas_of_a_type_and_status(
    stack: Stack, api: httpx.AsyncClient, saga: Saga
) -> None:
    saga_id = await completed_saga(stack, api)

    async def listed() -> None:
        result = await saga("list", "--type", "CreateOrder", "--status", "COMPLETED")
        assert result.exit_code == 0, result.output
        assert saga_id in result.output

    await eventually_async(listed)
    result = await saga("list", "--status", "COMPENSATED", "--page-size", "1000")
    assert result.exit_code == 0 and saga_id not in result.output


async def test_list_pages(stack: Stack, api: httpx.AsyncClient) -> None:
    """On an 80-column terminal too: the next page's token is printed on one line, whole."""
    saga = Saga(stack, columns=80)
    for _ in range(2):
        await completed_saga(stack, api)
    result = await saga("list", "--page-size", "1")
    assert result.exit_code == 0, result.output
    token = result.output.split("--page-token ")[1].split()[0]
    second = await saga("list", "--page-size", "1", "--page-token", token)
    assert second.exit_code == 0, second.output
    first_id = result.output.split("create-order-")[1].split()[0]
    assert f"create-order-{first_id}" not in second.output


async def test_status_shows_each_step(stack: Stack, api: httpx.AsyncClient, saga: Saga) -> None:
    saga_id = await completed_saga(stack, api)
    result = await saga("status", saga_id)
    assert result.exit_code == 0, result.output
    assert f"{saga_id} (CreateOrder): COMPLETED" in result.output
    for name in ("create_order", "verify_consumer", "authorize_card", "approve_order"):
        assert name in result.output
    assert result.output.count("SUCCEEDED") == 6


async def test_watch_follows_a_running_saga_to_its_end(
    stack: Stack, api: httpx.AsyncClient, faults: Faults, saga: Saga
) -> None:
    world = await new_world(stack.http, stack.participants, credit_cents=100)
    kitchen = stack.participants.kitchen
    held = await faults.hold(kitchen, r"/tickets/.*/reject")
    accepted = await place_order(api, world.order((0, 1)))
    await saga_reaches(api, accepted["saga_id"], "COMPENSATING")
    reads = await requests_to(stack, "/sagas/{saga_id}")
    streams = await requests_to(stack, "/sagas/{saga_id}/events")
    watching = asyncio.create_task(saga("status", accepted["saga_id"], "--watch"))

    async def read_by_the_watch() -> None:
        assert await requests_to(stack, "/sagas/{saga_id}") > reads

    await eventually_async(read_by_the_watch)  # it has shown the saga COMPENSATING
    await faults.release(kitchen, held)
    result = await watching
    assert result.exit_code == 0, result.output
    titles = [line.strip() for line in result.output.splitlines() if "(CreateOrder):" in line]
    assert titles[0].endswith("COMPENSATING") and titles[-1].endswith("COMPENSATED"), titles
    served = "/sagas/{saga_id}/events" in (await api.get("/openapi.json")).json()["paths"]
    assert await requests_to(stack, "/sagas/{saga_id}/events") == streams + (1 if served else 0)


async def requests_to(stack: Stack, route: str) -> float:
    """How many requests the API has answered on `route` (from its /metrics)."""
    text = (await stack.http.get(f"{stack.api.url}/metrics")).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "http_request_duration_seconds_count" and sample.labels["route"] == route
    )


async def test_cancel_stops_a_saga_before_its_pivot(
    stack: Stack, api: httpx.AsyncClient, faults: Faults, saga: Saga
) -> None:
    server = stack.participants.kitchen
    accepted, held = await order_held_at(stack, api, faults, server, "/tickets", "create_ticket")
    result = await saga("cancel", accepted["saga_id"])
    assert result.exit_code == 0, result.output
    await faults.release(stack.participants.kitchen, held)  # the late ticket is refused or undone
    assert (await saga_ends(api, accepted["saga_id"]))["status"] == "CANCELLED"
    again = await saga("cancel", accepted["saga_id"])
    assert again.exit_code == EXIT_CONFLICT, again.output


async def test_an_operator_finds_and_resolves_a_stuck_saga(
    stack: Stack, api: httpx.AsyncClient, faults: Faults, saga: Saga
) -> None:
    world = await new_world(stack.http, stack.participants, credit_cents=100)
    key = unique("cart")
    order_id = new_order_id("operator", key)
    await faults.add(stack.participants.kitchen, f"/tickets/{order_id}/reject", status=503)
    saga_id = (await place_order(api, world.order((0, 1)), key))["saga_id"]
    await saga_reaches(api, saga_id, "NEEDS_ATTENTION")

    async def listed() -> None:
        result = await saga("list", "--status", "NEEDS_ATTENTION", "--page-size", "1000")
        assert saga_id in result.output, result.output

    await eventually_async(listed)
    await faults.clear(stack.participants.kitchen)
    result = await saga("resolve", saga_id, "retry", "--reason", "kitchen DB restored")
    assert result.exit_code == 0, result.output
    assert (await saga_ends(api, saga_id))["status"] == "COMPENSATED"
    again = await saga("resolve", saga_id, "skip", "--reason", "too late")
    assert again.exit_code == EXIT_CONFLICT, again.output


async def test_load_runs_sagas_and_reports_latency(saga: Saga) -> None:
    result = await saga("load", "-n", "6", "--concurrency", "3")
    assert result.exit_code == 0, result.output
    assert outcome_counts(result.output) == {"COMPLETED": 6}, result.output
    for measure in ("throughput", "p50 start → end", "p99 start → end"):
        assert measure in result.output


def outcome_counts(output: str) -> dict[str, int]:
    """The status rows of the load summary table: `│ COMPLETED │ 6 │`."""
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in output.splitlines()]
    return {row[0]: int(row[1]) for row in cells if len(row) == 2 and row[0].isupper()}


async def test_a_wrong_token_exits_3(stack: Stack) -> None:
    result = await Saga(stack, token="not-the-token")("list")
    assert result.exit_code == EXIT_UNAUTHORIZED, result.output
    assert "unauthorized" in result.output


async def test_no_token_exits_3(stack: Stack) -> None:
    result = await Saga(stack, token=None)("status", "create-order-x")
    assert result.exit_code == EXIT_UNAUTHORIZED, result.output


async def test_an_unreachable_api_exits_4(stack: Stack) -> None:
    result = await Saga(stack, url=f"http://127.0.0.1:{free_port()}")("list")
    assert result.exit_code == EXIT_UNREACHABLE, result.output
    assert "unreachable" in result.output


async def test_an_unknown_saga_exits_5(saga: Saga) -> None:
    for command in (("status", "create-order-nope"), ("status", "create-order-nope", "--watch")):
        result = await saga(*command)
        assert result.exit_code == EXIT_NOT_FOUND, result.output
        assert "saga_not_found" in result.output


async def test_diagram_prints_the_mermaid_flowchart(saga: Saga) -> None:
    result = await saga("diagram", "CreateOrder")
    assert result.exit_code == 0, result.output
    assert "flowchart LR" in result.output and "authorize_card{{" in result.output


async def test_audit_prints_the_report_and_exits_by_its_outcome(saga: Saga) -> None:
    result = await saga("audit")
    # This stack runs no order-history view: the API answers 503 and the command says so.
    assert result.exit_code == 1, result.output
    assert "audit_unavailable" in result.output


async def test_the_console_script_is_installed(stack: Stack) -> None:
    script = Path(sys.executable).parent / "saga"
    env = {k: v for k, v in Saga(stack, token="wrong").env().items() if v is not None}
    process = await asyncio.create_subprocess_exec(
        str(script), "list", env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    _, stderr = await process.communicate()
    assert process.returncode == EXIT_UNAUTHORIZED, stderr.decode()
