"""Scenario a: two workers, one killed -9 three times (and restarted) while 120 sagas run."""

from tests.reliability.load import (
    MENU_PRICE,
    Clients,
    audit_is_clean,
    during,
    every_saga_closes_once,
    seed,
    when_closed,
)
from tests.reliability.stack import ProcessStack

SAGAS = 100
KILL_WHEN_CLOSED = (10, 35, 60)  # each kill lands while the rest of the sagas are running


async def test_a_worker_killed_three_times_loses_no_saga(stack: ProcessStack) -> None:
    world = await seed(stack, credit_cents=SAGAS * MENU_PRICE)
    victim = stack.processes["worker-1"]

    async def crashes() -> None:
        for closed in KILL_WHEN_CLOSED:
            await when_closed(stack, closed)
            victim.kill9()
            await victim.restart()

    async with stack.api() as api:
        clients = Clients(api)
        load = clients.place_all([world.order() for _ in range(SAGAS)], concurrency=10)
        seconds = await during(load, crashes)
        assert await every_saga_closes_once(stack, clients) == {"COMPLETED": SAGAS}
        await audit_is_clean(api)
    assert victim.kills == len(KILL_WHEN_CLOSED)
    print(f"worker crash: {SAGAS} sagas, {victim.kills} kills -9, load and kills {seconds:.1f}s")
