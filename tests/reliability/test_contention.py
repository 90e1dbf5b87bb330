"""Scenario f: 40 concurrent orders on one account that affords 10."""

from tests.reliability.load import MENU_PRICE, Clients, audit_is_clean, every_saga_closes_once, seed
from tests.reliability.stack import ProcessStack

ORDERS, AFFORDED = 40, 10


async def test_an_account_affording_ten_of_forty_concurrent_orders(stack: ProcessStack) -> None:
    world = await seed(stack, credit_cents=AFFORDED * MENU_PRICE)
    async with stack.api() as api:
        clients = Clients(api)
        await clients.place_all([world.order() for _ in range(ORDERS)], concurrency=ORDERS)
        outcomes = await every_saga_closes_once(stack, clients)
        assert outcomes == {"COMPLETED": AFFORDED, "COMPENSATED:card_declined": ORDERS - AFFORDED}
        body = await audit_is_clean(api)
    assert body["checked"]["accounts"] == 1 and body["checked"]["orders"] == ORDERS
