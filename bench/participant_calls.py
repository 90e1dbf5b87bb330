"""What one participant call costs the participant: CPU per call, and where it goes.

    python -m bench.participant_calls [--calls 300]       # CPU per call of separate processes
    python -m bench.participant_calls --profile [--calls 300]  # pyinstrument, in this process

The calls are the ones a Create Order saga makes: `POST /tickets` at kitchen, `POST /orders` and
`POST /orders/{id}/approve` at orders, each with an Idempotency-Key, on SQLite files. CPU is the
participant process's user + system time (/proc) over the calls, divided by their number.
"""

import argparse
import asyncio
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from bench.procs import Child, cpu_seconds, free_port
from scripts.stack import PYTHON

MENU = [{"id": "dal", "name": "Dal", "price_cents": 1200}]
LINE_ITEMS = [{"menu_item_id": "dal", "quantity": 2}]
Call = tuple[str, str, dict[str, Any] | None]  # method, path, body


def ticket_calls(restaurant_id: str) -> Callable[[str], list[Call]]:
    def calls(order_id: str) -> list[Call]:
        body = {"order_id": order_id, "restaurant_id": restaurant_id, "line_items": LINE_ITEMS}
        return [("POST", "/tickets", body)]

    return calls


def order_calls(restaurant_id: str) -> Callable[[str], list[Call]]:
    def calls(order_id: str) -> list[Call]:
        body = {
            "order_id": order_id,
            "consumer_id": "ann",
            "restaurant_id": restaurant_id,
            "line_items": LINE_ITEMS,
        }
        return [("POST", "/orders", body), ("POST", f"/orders/{order_id}/approve", None)]

    return calls


def health_calls(_: str) -> list[Call]:
    return [("GET", "/healthz", None)]


def send(http: httpx.Client, calls: list[Call]) -> None:
    for method, path, body in calls:
        key = f"{uuid.uuid4().hex}:{path}:action"
        http.request(method, path, json=body, headers={"Idempotency-Key": key}).raise_for_status()


def measure(name: str, child: Child, make: Callable[[str], list[Call]], n: int) -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{child.port}", timeout=30) as http:
        for _ in range(20):  # warm up: imports, caches, connection pools
            send(http, make(uuid.uuid4().hex[:12]))
        batches = [make(uuid.uuid4().hex[:12]) for _ in range(n)]
        before, started = cpu_seconds(child.pid), time.perf_counter()
        for calls in batches:
            send(http, calls)
        cpu, wall = cpu_seconds(child.pid) - before, time.perf_counter() - started
    count = n * len(batches[0])
    print(
        f"{name}: {count} calls, participant CPU {1000 * cpu / count:.2f} ms/call, "
        f"wall {1000 * wall / count:.2f} ms/call"
    )


def start(name: str, data: Path, env: dict[str, str]) -> Child:
    port, prefix = free_port(), name.upper() + "_"
    env = {
        f"{prefix}PORT": str(port),
        f"{prefix}DATABASE_URL": f"sqlite:///{data / name}.db",
        **env,
    }
    command = [PYTHON, "-m", f"participants.{name}"]
    child = Child(name, "participant", command, env, data / f"{name}.log", port)
    child.health_url = f"http://127.0.0.1:{port}/healthz"
    child.start()
    child.wait_ready()
    return child


def open_restaurant(kitchen_url: str, orders_url: str) -> str:
    body = {"name": "Ajanta", "accepting_orders": True, "menu_items": MENU}
    restaurant_id: str = httpx.post(f"{kitchen_url}/restaurants", json=body).json()["id"]
    while httpx.get(f"{orders_url}/restaurants/{restaurant_id}").status_code != 200:
        time.sleep(0.01)  # the replica follows kitchen's feed
    return restaurant_id


def run_processes(n: int) -> None:
    with tempfile.TemporaryDirectory(prefix="participant-calls-") as folder:
        data = Path(folder)
        kitchen = start("kitchen", data, {})
        orders = start("orders", data, {"ORDERS_KITCHEN_URL": f"http://127.0.0.1:{kitchen.port}"})
        try:
            kitchen_url, orders_url = (f"http://127.0.0.1:{c.port}" for c in (kitchen, orders))
            restaurant_id = open_restaurant(kitchen_url, orders_url)
            measure("kitchen GET /healthz (the HTTP floor)", kitchen, health_calls, n)
            measure("kitchen POST /tickets", kitchen, ticket_calls(restaurant_id), n)
            measure("orders POST /orders + approve", orders, order_calls(restaurant_id), n)
        finally:
            orders.stop()
            kitchen.stop()


def profile(n: int) -> None:
    """Kitchen's app in this process, called through ASGI; sync endpoints and dependencies run
    inline so that the profiler, which samples one thread, sees them."""
    from pyinstrument import Profiler

    from bench.inline_threads import run_sync_inline
    from participants.kitchen.config import Settings
    from participants.kitchen.main import create_app

    run_sync_inline()
    with tempfile.TemporaryDirectory(prefix="participant-profile-") as folder:
        app = create_app(Settings(database_url=f"sqlite:///{folder}/kitchen.db"))
        asyncio.run(_profile_calls(app, n, Profiler(async_mode="disabled", interval=0.0005)))


async def _profile_calls(app: Any, n: int, profiler: Any) -> None:
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://kitchen") as http,
    ):
        body = {"name": "Ajanta", "accepting_orders": True, "menu_items": MENU}
        restaurant_id = (await http.post("/restaurants", json=body)).json()["id"]
        calls = ticket_calls(restaurant_id)
        for number in range(n + 20):
            if number == 20:
                profiler.start()
            for method, path, payload in calls(uuid.uuid4().hex[:12]):
                headers = {"Idempotency-Key": uuid.uuid4().hex}
                response = await http.request(method, path, json=payload, headers=headers)
                response.raise_for_status()
        profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.participant_calls", description=__doc__)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--profile", action="store_true", help="profile kitchen in-process")
    args = parser.parse_args(argv)
    if args.profile:
        profile(args.calls)
    else:
        run_processes(args.calls)


if __name__ == "__main__":
    main()
