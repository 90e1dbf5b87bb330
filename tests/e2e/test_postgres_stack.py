"""The same sagas with every participant on its own PostgreSQL database."""

from collections.abc import AsyncIterator
from contextlib import ExitStack

import pytest
from temporalio.client import Client

from tests.support.databases import postgres_database, require_postgres
from tests.support.sagas import saga_ends
from tests.support.seed import new_world
from tests.support.stack import Stack, running_stack

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
async def pg_stack(temporal_client: Client) -> AsyncIterator[Stack]:
    require_postgres()
    with ExitStack() as databases:
        database = lambda name: databases.enter_context(postgres_database(f"saga_e2e_{name}"))  # noqa: E731
        async with running_stack(temporal_client, database) as stack:
            yield stack


async def test_completed_saga_on_postgres(pg_stack: Stack) -> None:
    world = await new_world(pg_stack.http, pg_stack.participants)
    async with pg_stack.api_client() as api:
        accepted = (await api.post("/orders", json=world.order((0, 1)))).json()
        saga = await saga_ends(api, accepted["saga_id"])
    assert saga["status"] == "COMPLETED", saga
    account = (
        await pg_stack.http.get(
            f"{pg_stack.participants.accounting.url}/accounts/{world.consumer_id}"
        )
    ).json()
    assert account["available_cents"] == 100_000 - 1250


async def test_card_declined_compensates_on_postgres(pg_stack: Stack) -> None:
    world = await new_world(pg_stack.http, pg_stack.participants, credit_cents=1000)
    async with pg_stack.api_client() as api:
        accepted = (await api.post("/orders", json=world.order((0, 1)))).json()
        saga = await saga_ends(api, accepted["saga_id"])
    assert saga["status"] == "COMPENSATED" and saga["error"]["code"] == "card_declined", saga
    p, order_id = pg_stack.participants, accepted["order_id"]
    assert (await pg_stack.http.get(f"{p.orders.url}/orders/{order_id}")).json()[
        "state"
    ] == "REJECTED"
    assert (await pg_stack.http.get(f"{p.kitchen.url}/tickets/{order_id}")).json()[
        "state"
    ] == "REJECTED"
    account = (await pg_stack.http.get(f"{p.accounting.url}/accounts/{world.consumer_id}")).json()
    assert account["available_cents"] == 1000
