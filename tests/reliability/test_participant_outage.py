"""Scenario b: accounting killed -9 and kept down for 30 s while sagas run, then restarted on
the same port and database."""

import time

from tests.reliability.load import (
    MENU_PRICE,
    Clients,
    audit_is_clean,
    every_saga_closes_once,
    seed,
    when_closed,
)
from tests.reliability.stack import ProcessStack
from tests.support.eventually import eventually_async

BEFORE, DURING = 15, 15
OUTAGE_SECONDS = 30


async def test_sagas_wait_out_a_participant_outage(stack: ProcessStack) -> None:
    world = await seed(stack, credit_cents=(BEFORE + DURING) * MENU_PRICE)
    accounting = stack.processes["accounting"]
    async with stack.api() as api:
        clients = Clients(api)
        await clients.place_all([world.order() for _ in range(BEFORE)], concurrency=10)
        await when_closed(stack, 5)
        accounting.kill9()
        down_since = time.monotonic()
        await clients.place_all([world.order() for _ in range(DURING)], concurrency=10)
        waiting = list(clients.acks)[-1]

        async def outage_felt() -> None:
            """The outage lasts its 30 s, and a saga has been retrying the pivot meanwhile."""
            saga = (await api.get(f"/sagas/{waiting}")).json()
            pivot = next(step for step in saga["steps"] if step["name"] == "authorize_card")
            assert pivot["status"] == "RUNNING" and pivot["attempts"] >= 2, pivot
            assert time.monotonic() - down_since >= OUTAGE_SECONDS

        await eventually_async(outage_felt, timeout=OUTAGE_SECONDS + 30, interval=0.5)
        await accounting.restart()
        outcomes = await every_saga_closes_once(stack, clients)
        assert outcomes == {"COMPLETED": BEFORE + DURING}
        await audit_is_clean(api)
    print(f"participant outage: {BEFORE + DURING} sagas, accounting down {OUTAGE_SECONDS}s+")
