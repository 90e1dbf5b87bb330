"""Record real histories of every saga type and outcome into tests/histories/.

    python -m scripts.record_histories            # a test stack of its own (dev server included)
    python -m scripts.record_histories --only create-completed

Each history is `WorkflowHistory.to_json()` of one saga run on the current code, in
`<SagaType>-v<version>-<outcome>.json` (the version new sagas of the type run);
tests/unit/test_committed_histories.py replays them all, so a change of a saga's code that
would break the sagas already running fails CI (docs/sagas.md, "Changing a saga safely").
Record after adding a definition version (the files of older versions stay while a saga may
run on them); delete a version's files when the version is retired.
"""

import argparse
import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from api.routes.orders import new_order_id
from tests.support.eventually import eventually_async
from tests.support.sagas import Faults, fault_rules, place_order, saga_ends, saga_reaches, unique
from tests.support.seed import World, new_world
from tests.support.servers import RunningServer
from tests.support.stack import Stack, running_stack
from tests.support.temporal import start_dev_server
from workflows.registry import SAGAS

HISTORIES = Path(__file__).resolve().parent.parent / "tests" / "histories"
Json = dict[str, Any]


@dataclass
class Run:
    """What a scenario works with: the stack, its API client and its fault rules."""

    stack: Stack
    api: httpx.AsyncClient
    faults: Faults

    async def world(self, credit_cents: int = 100_000) -> World:
        return await new_world(self.stack.http, self.stack.participants, credit_cents=credit_cents)

    async def approved_order(self, world: World) -> str:
        accepted = await place_order(self.api, world.order((0, 2)))
        await self.ends(accepted["saga_id"], "COMPLETED")
        order_id: str = accepted["order_id"]
        return order_id

    async def ends(self, saga_id: str, status: str) -> str:
        saga = await saga_ends(self.api, saga_id)
        assert saga["status"] == status, saga
        return saga_id

    async def post(self, path: str, body: Json | None = None) -> Json:
        response = await self.api.post(path, json=body)
        assert response.status_code == 202, response.text
        answer: Json = response.json()
        return answer


Scenario = Callable[[Run], Awaitable[str]]  # runs one saga to its end; its saga id


async def create_completed(run: Run) -> str:
    accepted = await place_order(run.api, (await run.world()).order((0, 1)))
    return await run.ends(accepted["saga_id"], "COMPLETED")


async def create_card_declined(run: Run) -> str:
    accepted = await place_order(run.api, (await run.world(credit_cents=100)).order((0, 1)))
    return await run.ends(accepted["saga_id"], "COMPENSATED")


async def create_cancelled(run: Run) -> str:
    """Held at create_ticket, then cancelled on request: compensated, CANCELLED."""
    world = await run.world()
    kitchen = run.stack.participants.kitchen
    rule = await run.faults.hold(kitchen, "/tickets")
    accepted = await place_order(run.api, world.order((0, 1)))
    await _held(run, kitchen, rule)
    await run.post(f"/sagas/{accepted['saga_id']}/cancel")
    saga_id = await run.ends(accepted["saga_id"], "CANCELLED")
    await run.faults.release(kitchen, rule)
    return saga_id


async def create_resolved(run: Run) -> str:
    """Card declined, the ticket cannot be rejected: NEEDS_ATTENTION, an operator skips it."""
    world = await run.world(credit_cents=100)
    key = unique("cart")
    order_id = new_order_id("operator", key)
    kitchen = run.stack.participants.kitchen
    await run.faults.add(kitchen, f"/tickets/{order_id}/reject", status=409, business=True)
    accepted = await place_order(run.api, world.order((0, 1)), key)
    await saga_reaches(run.api, accepted["saga_id"], "NEEDS_ATTENTION")
    await run.post(f"/sagas/{accepted['saga_id']}/resolve", {"action": "skip", "reason": "by hand"})
    return await run.ends(accepted["saga_id"], "COMPENSATED")


async def cancel_completed(run: Run) -> str:
    order_id = await run.approved_order(await run.world())
    accepted = await run.post(f"/orders/{order_id}/cancel")
    return await run.ends(accepted["saga_id"], "COMPLETED")


async def cancel_compensated(run: Run) -> str:
    """The kitchen refuses to begin cancelling the ticket: the order's cancel is undone."""
    order_id = await run.approved_order(await run.world())
    path = f"/tickets/{order_id}/cancel/begin"
    await run.faults.add(run.stack.participants.kitchen, path, status=409, business=True)
    accepted = await run.post(f"/orders/{order_id}/cancel")
    return await run.ends(accepted["saga_id"], "COMPENSATED")


async def revise_completed(run: Run) -> str:
    world = await run.world()
    order_id = await run.approved_order(world)
    items = world.order((0, 3), (1, 1))["line_items"]
    accepted = await run.post(f"/orders/{order_id}/revise", {"line_items": items})
    return await run.ends(accepted["saga_id"], "COMPLETED")


async def revise_card_declined(run: Run) -> str:
    world = await run.world(credit_cents=3_000)
    order_id = await run.approved_order(world)
    items = world.order((0, 100))["line_items"]
    accepted = await run.post(f"/orders/{order_id}/revise", {"line_items": items})
    return await run.ends(accepted["saga_id"], "COMPENSATED")


SCENARIOS: dict[str, tuple[str, Scenario]] = {  # name → saga type, scenario
    "create-completed": ("CreateOrder", create_completed),
    "create-card_declined": ("CreateOrder", create_card_declined),
    "create-cancelled": ("CreateOrder", create_cancelled),
    "create-resolved_skip": ("CreateOrder", create_resolved),
    "cancel-completed": ("CancelOrder", cancel_completed),
    "cancel-compensated": ("CancelOrder", cancel_compensated),
    "revise-completed": ("ReviseOrder", revise_completed),
    "revise-card_declined": ("ReviseOrder", revise_card_declined),
}


def file_name(name: str) -> str:
    """`<SagaType>-v<version>-<outcome>.json`, the version new sagas of the type run now."""
    saga_type, _ = SCENARIOS[name]
    version = SAGAS.types[saga_type].newest.version
    return f"{saga_type}-v{version}-{name.split('-', 1)[1]}.json"


async def _held(run: Run, server: RunningServer, rule: str) -> None:
    async def waiting() -> None:
        assert await run.faults.held(server, rule) == 1

    await eventually_async(waiting)


async def record(stack: Stack, names: list[str], folder: Path) -> None:
    """Run each scenario on `stack` and write its saga's history to `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    async with stack.api_client() as api, fault_rules(stack.http) as faults:
        for name in names:
            saga_id = await SCENARIOS[name][1](Run(stack, api, faults))
            await faults.clear()
            history = await stack.client.get_workflow_handle(saga_id).fetch_history()
            (folder / file_name(name)).write_text(history.to_json() + "\n")
            print(f"{name}: {saga_id}")


async def record_on_test_stack(names: list[str], folder: Path) -> None:
    env = await start_dev_server()
    try:
        with tempfile.TemporaryDirectory() as data:
            database = lambda name: f"sqlite:///{Path(data) / name}.db"  # noqa: E731
            async with running_stack(env.client, database) as stack:
                await record(stack, names, folder)
    finally:
        await env.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=sorted(SCENARIOS), default=[])
    parser.add_argument("--to", type=Path, default=HISTORIES, help="folder (tests/histories)")
    args = parser.parse_args()
    asyncio.run(record_on_test_stack(args.only or list(SCENARIOS), args.to))


if __name__ == "__main__":
    main()
