"""Helpers for starting participant services and talking to them over real HTTP."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from participants.accounting.config import Settings as AccountingSettings
from participants.accounting.main import create_app as create_accounting
from participants.consumers.config import Settings as ConsumersSettings
from participants.consumers.main import create_app as create_consumers
from participants.kitchen.config import Settings as KitchenSettings
from participants.kitchen.main import create_app as create_kitchen
from participants.orders.config import Settings as OrdersSettings
from participants.orders.main import create_app as create_orders
from service_app.settings import ServiceSettings
from tests.support.servers import serve

Json = dict[str, Any]

MENU: list[Json] = [
    {"id": "curry", "name": "Chicken Vindaloo", "price_cents": 1250},
    {"id": "naan", "name": "Garlic Naan", "price_cents": 350},
]

APPS: dict[str, tuple[type[ServiceSettings], Callable[[Any], FastAPI]]] = {
    "consumers": (ConsumersSettings, create_consumers),
    "orders": (OrdersSettings, create_orders),
    "kitchen": (KitchenSettings, create_kitchen),
    "accounting": (AccountingSettings, create_accounting),
}


def participant_app(name: str, database_url: str, **settings: Any) -> FastAPI:
    """Participant `name` on `database_url`, with fault injection on unless `settings` say not."""
    settings_type, create_app = APPS[name]
    return create_app(
        settings_type(database_url=database_url, **{"faults_enabled": True, **settings})
    )


@contextmanager
def running(app: FastAPI) -> Iterator[httpx.Client]:
    """Serve `app` on a real socket and yield a client bound to it."""
    with serve(app) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


def events(client: httpx.Client, after: int = 0) -> list[Json]:
    """Every event after `after`, following the feed page by page."""
    collected: list[Json] = []
    while True:
        page = client.get("/events", params={"after": after, "limit": 1000}).json()
        if not page["events"]:
            return collected
        collected += page["events"]
        after = page["last_seq"]


def event_types(client: httpx.Client, after: int = 0) -> list[str]:
    return [event["event_type"] for event in events(client, after)]


def last_seq(client: httpx.Client) -> int:
    feed = events(client)
    return feed[-1]["seq"] if feed else 0


def answer(response: httpx.Response, status: int) -> Json:
    """The JSON body of a response that must have `status`."""
    assert response.status_code == status, response.text
    body: Json = response.json()
    return body


def assert_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


def send_twice(
    client: httpx.Client, method: str, path: str, key: str, json: Any = None
) -> httpx.Response:
    """Send a keyed request twice: the repeat must replay the first answer and add no event."""
    first = client.request(method, path, json=json, headers=keyed(key))
    seq = last_seq(client)
    again = client.request(method, path, json=json, headers=keyed(key))
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert last_seq(client) == seq, "a replay must not record another event"
    return first


# The events of `send_lifecycle_twice`, after the aggregate's kind (`Order`, `Ticket`).
LIFECYCLE_EVENTS = ["Created", "Approved", "CancelRequested", "CancelUndone", "CancelRequested",
                    "Cancelled", "Created", "Rejected"]  # fmt: skip


def send_lifecycle_twice(client: httpx.Client, prefix: str, body: Callable[[str], Json]) -> None:
    """Through `send_twice`: create `o-1`, approve it, begin, undo, begin and confirm its
    cancel; create `o-2` and reject it."""
    send_twice(client, "POST", prefix, "create-1", body("o-1"))
    steps = [("approve", "approve-1"), ("cancel/begin", "begin-1"), ("cancel/undo", "undo-1"),
             ("cancel/begin", "begin-2"), ("cancel/confirm", "confirm-1")]  # fmt: skip
    for path, key in steps:
        send_twice(client, "POST", f"{prefix}/o-1/{path}", key)
    send_twice(client, "POST", prefix, "create-2", body("o-2"))
    send_twice(client, "POST", f"{prefix}/o-2/reject", "reject-2")


def assert_cancel_and_revise_exclude(
    client: httpx.Client, record: str, kind: str, begin_revise: Callable[[], httpx.Response]
) -> None:
    """On the approved record at path `record`: a pending cancel refuses a revision; a pending
    revision refuses a cancel and another revision (error codes `<kind>_not_...`)."""
    client.post(f"{record}/cancel/begin")
    assert_error(begin_revise(), 409, f"{kind}_not_revisable")
    client.post(f"{record}/cancel/undo")
    begin_revise()
    assert_error(client.post(f"{record}/cancel/begin"), 409, f"{kind}_not_cancellable")
    assert_error(begin_revise(), 409, f"{kind}_not_revisable")


def add_fault(client: httpx.Client, path: str, **rule: Any) -> Json:
    """Add a fault rule to the participant behind `client`; answer it (with its `id`)."""
    return answer(client.post("/_faults", json={"path": path, **rule}), 201)


def fault(client: httpx.Client, rule_id: str) -> Json:
    """The rule `rule_id` as the participant lists it now (with `held` and `hits`)."""
    response = client.get("/_faults")
    assert response.status_code == 200, response.text
    rules: list[Json] = response.json()
    return next(rule for rule in rules if rule["id"] == rule_id)


def release(client: httpx.Client, rule_id: str) -> Json:
    return answer(client.post(f"/_faults/{rule_id}/release"), 200)
