"""Scenario d: every participant call loses its answer after the participant committed (a 503
instead of the answer, or a dropped connection), and is retried with the same Idempotency-Key."""

import httpx

from tests.reliability.faults import add_rule, rules_of
from tests.reliability.load import (
    MENU_PRICE,
    Clients,
    audit_is_clean,
    every_saga_closes_once,
    seed,
)
from tests.reliability.stack import ProcessStack
from tests.support.sagas import CREATE_ORDER_STEPS

APPROVED, DECLINED = 10, 5
SAGAS = APPROVED + DECLINED
LOST = {  # service -> (path, how many answers it loses, how)
    "consumers": [(r"/consumers/[^/]+/verify", SAGAS, "503")],
    "orders": [
        (r"/orders", SAGAS, "503"),
        (r"/orders/[^/]+/approve", APPROVED, "503"),
        (r"/orders/[^/]+/reject", DECLINED, "503"),
    ],
    "kitchen": [
        (r"/tickets", SAGAS, "drop"),
        (r"/tickets/[^/]+/approve", APPROVED, "drop"),
        (r"/tickets/[^/]+/reject", DECLINED, "drop"),
    ],
    "accounting": [(r"/authorizations", SAGAS, "503")],
}


async def lose_answers(stack: ProcessStack) -> None:
    for service, paths in LOST.items():
        for path, times, how in paths:
            lost = {"drop": True} if how == "drop" else {"status": 503}
            rule = {"path": path, "method": "POST", "when": "after", "times": times}
            await add_rule(stack, service, **rule, **lost)


async def most_attempts(api: httpx.AsyncClient, saga_ids: list[str]) -> dict[str, int]:
    """Per forward step, the most attempts any saga needed."""
    most = dict.fromkeys(CREATE_ORDER_STEPS, 0)
    for saga_id in saga_ids:
        for step in (await api.get(f"/sagas/{saga_id}")).json()["steps"]:
            if step["name"] in most:
                most[step["name"]] = max(most[step["name"]], step["attempts"])
    return most


async def test_answers_lost_after_commit_change_no_outcome(stack: ProcessStack) -> None:
    rich = await seed(stack, credit_cents=APPROVED * MENU_PRICE)
    poor = await seed(stack, credit_cents=0)
    await lose_answers(stack)
    async with stack.api() as api:
        clients = Clients(api)
        bodies = [rich.order() for _ in range(APPROVED)] + [poor.order() for _ in range(DECLINED)]
        await clients.place_all(bodies, concurrency=SAGAS)
        outcomes = await every_saga_closes_once(stack, clients)
        assert outcomes == {"COMPLETED": APPROVED, "COMPENSATED:card_declined": DECLINED}
        attempts = await most_attempts(api, list(clients.acks))
        assert min(attempts.values()) >= 2, attempts  # every step did lose an answer
        await audit_is_clean(api)
    for service in LOST:
        spent = [
            (rule["path"], rule["hits"], rule["times"]) for rule in await rules_of(stack, service)
        ]
        assert all(hits == times for _, hits, times in spent), spent  # every loss happened
