"""Participants under concurrent load, on SQLite and PostgreSQL: no overdraft, no lost event."""

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import httpx

from participants.accounting.config import Settings as AccountingSettings
from participants.accounting.main import create_app as create_accounting
from participants.kitchen.config import Settings as KitchenSettings
from participants.kitchen.main import create_app as create_kitchen
from tests.conftest import DatabaseFactory
from tests.support.participants import Json, events, running

T = TypeVar("T")

CREDIT_LIMIT, AMOUNT, ATTEMPTS = 1000, 70, 50
AFFORDABLE = CREDIT_LIMIT // AMOUNT  # 14 of the 50 fit
WRITERS, TICKETS_EACH = 8, 25


def all_at_once(count: int, task: Callable[[int], T]) -> list[T]:
    """Run `task(0..count-1)` on `count` threads released together."""
    start = threading.Barrier(count)

    def released(index: int) -> T:
        start.wait()
        return task(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(released, range(count)))


class Sampler(threading.Thread):
    """Reads a value over and over until stopped, keeping every reading."""

    def __init__(self, read: Callable[[], int]) -> None:
        super().__init__(daemon=True)
        self.read, self.readings, self.done = read, list[int](), threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.readings.append(self.read())

    def stop(self) -> list[int]:
        self.done.set()
        self.join()
        return self.readings


def test_concurrent_authorizations_never_overdraw(database_factory: DatabaseFactory) -> None:
    settings = AccountingSettings(database_url=database_factory("accounting"))
    with running(create_accounting(settings)) as client:
        client.post("/accounts", json={"consumer_id": "ann", "credit_limit_cents": CREDIT_LIMIT})
        sampler = Sampler(lambda: client.get("/accounts/ann").json()["available_cents"])
        sampler.start()

        answers = all_at_once(ATTEMPTS, lambda i: authorize(client, f"o-{i}"))

        readings = sampler.stop()
        final = client.get("/accounts/ann").json()["available_cents"]
        feed = Counter(event["event_type"] for event in events(client))

    assert Counter(status for status, _ in answers) == {201: AFFORDABLE, 422: ATTEMPTS - AFFORDABLE}
    assert {code for status, code in answers if status == 422} == {"card_declined"}
    assert final == CREDIT_LIMIT - AFFORDABLE * AMOUNT
    assert min(readings) >= 0
    assert feed == {
        "AccountOpened": 1,
        "CardAuthorized": AFFORDABLE,
        "CardDeclined": ATTEMPTS - AFFORDABLE,
    }


def authorize(client: httpx.Client, order_id: str) -> tuple[int, str | None]:
    body = {"order_id": order_id, "consumer_id": "ann", "amount_cents": AMOUNT}
    response = client.post("/authorizations", json=body)
    code = response.json()["error"]["code"] if response.status_code >= 400 else None
    return response.status_code, code


def test_feed_reader_sees_every_event_once_under_concurrent_writers(
    database_factory: DatabaseFactory,
) -> None:
    settings = KitchenSettings(database_url=database_factory("kitchen"))
    with running(create_kitchen(settings)) as client:
        restaurant = {
            "id": "r",
            "name": "R",
            "menu_items": [{"id": "m", "name": "M", "price_cents": 1}],
        }
        client.post("/restaurants", json=restaurant)
        writers_done = threading.Event()
        seen: list[Json] = []
        reader = threading.Thread(target=lambda: seen.extend(follow(client, writers_done)))
        reader.start()

        all_at_once(WRITERS, lambda writer: create_tickets(client, writer))
        writers_done.set()
        reader.join()
        everything = events(client)

    seqs = [event["seq"] for event in seen]
    assert seqs == sorted(set(seqs)), "strictly increasing, each event once"
    assert seqs == [event["seq"] for event in everything], "no committed event was skipped"
    assert len(seqs) == 1 + WRITERS * TICKETS_EACH


def create_tickets(client: httpx.Client, writer: int) -> None:
    for number in range(TICKETS_EACH):
        body = {
            "order_id": f"w{writer}-{number}",
            "restaurant_id": "r",
            "line_items": [{"menu_item_id": "m", "quantity": 1}],
        }
        assert client.post("/tickets", json=body).status_code == 201


def follow(client: httpx.Client, writers_done: threading.Event) -> list[Json]:
    """Poll the feed like a subscriber until the writers are done and the feed is drained."""
    seen: list[Json] = []
    cursor = 0
    while True:
        # Read the flag before the page: an empty page after that means every write is seen.
        writers_were_done = writers_done.is_set()
        page = client.get("/events", params={"after": cursor, "limit": 50}).json()
        if not page["events"] and writers_were_done:
            return seen
        seen += page["events"]
        cursor = page["last_seq"]
