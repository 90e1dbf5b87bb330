"""`make demo`: seed the running stack and run one saga of each outcome.

Needs `make run` in another terminal. Prints each saga's status and its Web UI link, then a
consumer's order history from the CQRS view.
"""

import os
import sys
import time
import uuid
from typing import Any

import httpx

from scripts.stack import API_PORT, TOKEN_FILE

API = f"http://127.0.0.1:{API_PORT}"
CONSUMERS, ORDERS, KITCHEN, ACCOUNTING = (f"http://127.0.0.1:{p}" for p in (8101, 8102, 8103, 8104))
TERMINAL = {"COMPLETED", "COMPENSATED", "CANCELLED", "FAILED", "NEEDS_ATTENTION"}


def token() -> str:
    if value := os.environ.get("SAGA_API_TOKEN"):
        return value
    if TOKEN_FILE.exists():
        return TOKEN_FILE.read_text().strip()
    sys.exit("no API token: set SAGA_API_TOKEN or start the stack with `make run` first")


def created(response: httpx.Response) -> dict[str, Any]:
    if response.status_code not in (200, 201, 202):
        sys.exit(
            f"{response.request.method} {response.request.url}: {response.status_code} {response.text}"
        )
    body: dict[str, Any] = response.json()
    return body


def seed(http: httpx.Client) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:6]
    menu = [
        {"id": f"curry-{tag}", "name": "Chicken Vindaloo", "price_cents": 1250},
        {"id": f"naan-{tag}", "name": "Garlic Naan", "price_cents": 350},
    ]
    ids = {
        "alice": created(http.post(f"{CONSUMERS}/consumers", json={"name": "Alice"}))["id"],
        "bob": created(http.post(f"{CONSUMERS}/consumers", json={"name": "Bob", "status": "SUSPENDED"}))["id"],
        "carol": created(http.post(f"{CONSUMERS}/consumers", json={"name": "Carol"}))["id"],
        "open": created(http.post(f"{KITCHEN}/restaurants", json={"name": "Ajanta", "accepting_orders": True, "menu_items": menu}))["id"],
        "closed": created(http.post(f"{KITCHEN}/restaurants", json={"name": "Closed Diner", "accepting_orders": False, "menu_items": menu}))["id"],
        "menu": menu,
    }  # fmt: skip
    for consumer, limit in (("alice", 100_000), ("bob", 100_000), ("carol", 1_000)):
        created(
            http.post(
                f"{ACCOUNTING}/accounts",
                json={"consumer_id": ids[consumer], "credit_limit_cents": limit},
            )
        )
    for restaurant in ("open", "closed"):
        wait_for(lambda r=restaurant: http.get(f"{ORDERS}/restaurants/{ids[r]}").status_code == 200)
    return ids


def wait_for(condition: Any, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            sys.exit("timed out waiting for the stack")
        time.sleep(0.1)


def wait_saga(api: httpx.Client, saga_id: str, timeout: float = 60) -> dict[str, Any]:
    """The API's long poll answers as soon as the saga is closed or needs attention."""
    deadline = time.monotonic() + timeout
    while True:
        response = api.get(f"/sagas/{saga_id}", params={"wait_seconds": 20}, timeout=40)
        saga: dict[str, Any] = created(response)
        if saga["status"] in TERMINAL:
            return saga
        if time.monotonic() > deadline:
            sys.exit(f"saga {saga_id} is still {saga['status']} after {timeout:g}s")


def report(title: str, saga: dict[str, Any]) -> None:
    error = saga.get("error") or {}
    outcome = saga["status"] + (f" ({error['code']})" if error else "")
    print(f"  {title:<30} {outcome:<40} {saga['web_ui_url']}", flush=True)


def place(
    api: httpx.Client, consumer: str, restaurant: str, items: list[tuple[str, int]]
) -> dict[str, Any]:
    body = {
        "consumer_id": consumer,
        "restaurant_id": restaurant,
        "line_items": [{"menu_item_id": item, "quantity": qty} for item, qty in items],
    }
    return created(api.post("/orders", json=body))


def _view_shows(api: httpx.Client, url: str, order_id: str, state: str) -> bool:
    response = api.get(url)
    orders = response.json().get("orders", []) if response.status_code == 200 else []
    return any(o["order_id"] == order_id and o["state"] == state for o in orders)


def main() -> None:
    headers = {"Authorization": f"Bearer {token()}"}
    with (
        httpx.Client(timeout=10) as http,
        httpx.Client(base_url=API, headers=headers, timeout=10) as api,
    ):
        print("seeding consumers, restaurants and accounts ...", flush=True)
        ids = seed(http)
        curry, naan = (item["id"] for item in ids["menu"])
        print("running one saga of each outcome:", flush=True)
        cases = [
            ("completed", ids["alice"], ids["open"], [(curry, 2), (naan, 1)]),
            ("consumer suspended", ids["bob"], ids["open"], [(curry, 1)]),
            ("unknown menu item", ids["alice"], ids["open"], [("pizza", 1)]),
            ("restaurant closed", ids["alice"], ids["closed"], [(curry, 1)]),
            ("card declined", ids["carol"], ids["open"], [(curry, 4)]),
        ]
        orders = {title: place(api, who, where, items) for title, who, where, items in cases}
        for title, accepted in orders.items():
            report(title, wait_saga(api, accepted["saga_id"]))
        second = place(api, ids["alice"], ids["open"], [(naan, 3)])
        wait_saga(api, second["saga_id"])
        cancel = created(api.post(f"/orders/{second['order_id']}/cancel"))
        report("Cancel Order of the 2nd order", wait_saga(api, cancel["saga_id"]))
        history_url = f"/consumers/{ids['alice']}/orders"
        wait_for(lambda: _view_shows(api, history_url, second["order_id"], "CANCELLED"))
        history = api.get(history_url).json()
        print(f"\nAlice's order history (from the CQRS view, consumer {ids['alice']}):")
        for order in history.get("orders", []):
            print(
                f"  {order['order_id']}  {order['state']:<17} ticket {order.get('ticket_state') or '-':<20}"
                f" payment {order.get('authorization_state') or '-':<11} {order['total_cents'] / 100:>8.2f}"
            )


if __name__ == "__main__":
    main()
