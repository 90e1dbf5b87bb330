"""Scenario c: the Temporal dev server killed -9 while sagas run and restarted on its SQLite
file; clients resend POST /orders with the same Idempotency-Key until they get a 202."""

import asyncio

from tests.reliability.load import (
    MENU_PRICE,
    Clients,
    audit_is_clean,
    every_saga_closes_once,
    seed,
    when_closed,
)
from tests.reliability.stack import ProcessStack

BEFORE, DURING = 20, 20


async def test_sagas_survive_a_dev_server_crash(stack: ProcessStack) -> None:
    world = await seed(stack, credit_cents=(BEFORE + DURING) * MENU_PRICE)
    temporal = stack.processes["temporal"]
    async with stack.api() as api:
        clients = Clients(api)
        await clients.place_all([world.order() for _ in range(BEFORE)], concurrency=10, retry=True)
        await when_closed(stack, 10)
        temporal.kill9()
        bodies = [world.order() for _ in range(DURING)]
        during = asyncio.create_task(clients.place_all(bodies, concurrency=10, retry=True))
        await temporal.restart()
        await during
        outcomes = await every_saga_closes_once(stack, clients)
        assert outcomes == {"COMPLETED": BEFORE + DURING}
        await audit_is_clean(api)
    print(f"dev server crash: {BEFORE + DURING} sagas, refused meanwhile: {dict(clients.refusals)}")
