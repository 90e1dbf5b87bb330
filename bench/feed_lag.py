"""How fast events reach the query side, and what the idle stack costs.

    python -m bench.feed_lag [--samples 200] [--idle-seconds 30] [--database sqlite|postgres]

Starts kitchen, orders (its restaurant replica follows kitchen's feed), accounting and the
order-history view as separate processes, then measures
* event → view lag: from the answer to `POST /orders` (the event is committed) until the view's
  database holds the order;
* event → replica lag: from the answer to `PATCH /restaurants/{id}` at kitchen until the orders
  service's replica table holds the new name;
* idle CPU of every process over `--idle-seconds` with nothing happening (/proc/<pid>/stat).
"""

import argparse
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, text

from bench.procs import Child, cpu_seconds, free_port
from bench.stats import percentile
from scripts.stack import PYTHON
from storage.engines import make_engine, read_only

MENU = [{"id": "dal", "name": "Dal", "price_cents": 1200}]
SERVICES = [  # name, module, settings prefix; in start order
    ("kitchen", "participants.kitchen", "KITCHEN_"),
    ("accounting", "participants.accounting", "ACCOUNTING_"),
    ("orders", "participants.orders", "ORDERS_"),
    ("order_history", "views.order_history", "ORDER_HISTORY_"),
]


@contextmanager
def processes(data: Path, database_urls: Callable[[str], str]) -> Iterator[dict[str, str]]:
    """Every service running; yields their base URLs by name."""
    urls: dict[str, str] = {}
    databases = {name: database_urls(name) for name, _, _ in SERVICES}
    children: list[Child] = []
    try:
        for name, module, prefix in SERVICES:
            port = free_port()
            env = {f"{prefix}PORT": str(port), f"{prefix}DATABASE_URL": databases[name]}
            env |= {f"{prefix}{source.upper()}_URL": url for source, url in urls.items()}
            child = Child(name, "participant", [PYTHON, "-m", module], env, data / f"{name}.log")
            child.port, child.health_url = port, f"http://127.0.0.1:{port}/healthz"
            child.start()
            children.append(child)
            child.wait_ready()
            urls[name] = f"http://127.0.0.1:{port}"
        yield (
            urls
            | {f"pid:{child.name}": str(child.pid) for child in children}
            | {f"db:{name}": url for name, url in databases.items()}
        )
    finally:
        for child in reversed(children):
            child.stop()


def until(probe: Callable[[], bool]) -> float:
    """Seconds until `probe` holds. The probes read the subscriber's database from this process
    (asking the service over HTTP back to back would slow down the very process measured)."""
    started = time.perf_counter()
    while not probe():
        if time.perf_counter() - started > 30:
            raise TimeoutError("the change never arrived")
        time.sleep(0.0002)
    return time.perf_counter() - started


def holds(engine: Engine, query: str, **params: Any) -> Callable[[], bool]:
    """A probe: `query` finds a row."""

    def probe() -> bool:
        with engine.connect() as connection:
            return connection.execute(text(query), params).first() is not None

    return probe


def view_lags(http: httpx.Client, urls: dict[str, str], restaurant_id: str, n: int) -> list[float]:
    view = read_only(make_engine(urls["db:order_history"]))
    query = "SELECT 1 FROM order_history WHERE order_id = :order_id AND order_seq > 0"
    lags = []
    for _ in range(n):
        order_id = f"o-{uuid.uuid4().hex[:12]}"
        body = {
            "order_id": order_id,
            "consumer_id": "ann",
            "restaurant_id": restaurant_id,
            "line_items": [{"menu_item_id": "dal", "quantity": 1}],
        }
        http.post(f"{urls['orders']}/orders", json=body).raise_for_status()
        lags.append(until(holds(view, query, order_id=order_id)))
    view.dispose()
    return lags


def replica_lags(
    http: httpx.Client, urls: dict[str, str], restaurant_id: str, n: int
) -> list[float]:
    replica = read_only(make_engine(urls["db:orders"]))
    query = "SELECT 1 FROM replica_restaurant WHERE id = :id AND name = :name"
    lags = []
    for number in range(n):
        name = f"Ajanta {number}"
        patch = {"name": name}
        http.patch(f"{urls['kitchen']}/restaurants/{restaurant_id}", json=patch).raise_for_status()
        lags.append(until(holds(replica, query, id=restaurant_id, name=name)))
    replica.dispose()
    return lags


def idle_cpu(urls: dict[str, str], seconds: float) -> dict[str, float]:
    """CPU seconds each process used while nothing happened, as a percentage of one core."""
    pids = {key[4:]: int(pid) for key, pid in urls.items() if key.startswith("pid:")}
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    time.sleep(seconds)  # the measurement itself: the stack must stay idle this long
    return {name: 100 * (cpu_seconds(pid) - before[name]) / seconds for name, pid in pids.items()}


def report(label: str, lags: list[float]) -> None:
    ms = [lag * 1000 for lag in lags]
    print(
        f"{label}: n={len(ms)} p50={percentile(ms, 50):.1f} ms "
        f"p90={percentile(ms, 90):.1f} ms p99={percentile(ms, 99):.1f} ms max={max(ms):.1f} ms"
    )


def run(samples: int, idle_seconds: float, database_urls: Callable[[str], str], data: Path) -> None:
    with processes(data, database_urls) as urls, httpx.Client(timeout=10) as http:
        body = {"name": "Ajanta", "accepting_orders": True, "menu_items": MENU}
        restaurant = http.post(f"{urls['kitchen']}/restaurants", json=body).json()
        until(lambda: http.get(f"{urls['orders']}/restaurants/{restaurant['id']}").is_success)
        report("event -> view lag", view_lags(http, urls, restaurant["id"], samples))
        report("event -> replica lag", replica_lags(http, urls, restaurant["id"], samples))
        for name, percent in idle_cpu(urls, idle_seconds).items():
            print(f"idle CPU over {idle_seconds:.0f} s: {name} {percent:.2f} % of a core")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.feed_lag", description=__doc__)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--idle-seconds", type=float, default=30.0)
    parser.add_argument(
        "--postgres", help="admin URL of a PostgreSQL server: one new database per service"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="feed-lag-") as folder:
        data = Path(folder)
        if args.postgres:
            with postgres_databases(args.postgres) as urls:
                run(args.samples, args.idle_seconds, urls, data)
        else:
            run(args.samples, args.idle_seconds, lambda name: f"sqlite:///{data / name}.db", data)


@contextmanager
def postgres_databases(admin_url: str) -> Iterator[Callable[[str], str]]:
    """`urls(name)` creates a database `feed_lag_<name>_<random>`; all are dropped afterwards."""
    import psycopg

    created: list[str] = []
    base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)

    def url(name: str) -> str:
        database = f"feed_lag_{name}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{database}"')
        created.append(database)
        return f"{base}/{database}"

    try:
        yield url
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            for database in created:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
