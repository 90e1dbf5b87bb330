"""The event feed's long poll: a waiting reader answers with the event committed after it began."""

import socket
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack

import httpx
import pytest
from fastapi import FastAPI

from event_feed.commits import signal_of
from service_app.web import engine_of
from tests.conftest import DatabaseFactory
from tests.support.eventually import eventually
from tests.support.participants import MENU, Json, answer, last_seq, participant_app, running

LONG_WAIT = 30  # seconds; a poll that answers an event did not wait for this


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(8) as executor:
        yield executor


def open_restaurant(kitchen: httpx.Client, name: str = "Ajanta") -> Json:
    body = {"name": name, "accepting_orders": True, "menu_items": MENU}
    return answer(kitchen.post("/restaurants", json=body), 201)


def long_poll(client: httpx.Client, after: int, wait: float = LONG_WAIT, limit: int = 100) -> Json:
    params = {"after": after, "limit": limit, "wait_seconds": wait}
    return answer(client.get("/events", params=params, timeout=wait + 10), 200)


def waiting(app: FastAPI, count: int = 1) -> None:
    """`count` long polls are parked on the app's commit signal: they have read, found nothing."""
    assert signal_of(engine_of(app)).waiters == count


def test_a_waiting_poll_answers_with_the_event_committed_after_it(
    database_factory: DatabaseFactory, pool: ThreadPoolExecutor
) -> None:
    app = participant_app("kitchen", database_factory("kitchen"))
    with running(app) as kitchen:
        seq = last_seq(kitchen)
        poll: Future[Json] = pool.submit(long_poll, kitchen, seq)
        eventually(lambda: waiting(app))  # the poll is pending: it read before the commit
        restaurant = open_restaurant(kitchen)
        page = poll.result(timeout=LONG_WAIT)
    assert [event["seq"] for event in page["events"]] == [seq + 1]
    assert page["events"][0]["payload"]["id"] == restaurant["id"]
    assert page["last_seq"] == seq + 1


def test_a_poll_with_nothing_new_answers_empty_after_its_wait(
    database_factory: DatabaseFactory,
) -> None:
    with running(participant_app("kitchen", database_factory("kitchen"))) as kitchen:
        open_restaurant(kitchen)
        seq = last_seq(kitchen)
        empty = long_poll(kitchen, seq, wait=0.2)
        at_once = long_poll(kitchen, 0, wait=0)
        too_long = kitchen.get("/events", params={"wait_seconds": 61})
        negative = kitchen.get("/events", params={"wait_seconds": -1})
    assert empty == {"events": [], "last_seq": seq}
    assert [event["seq"] for event in at_once["events"]] == [seq]
    assert (too_long.status_code, negative.status_code) == (422, 422)


def test_a_poll_whose_client_left_stops_waiting(database_factory: DatabaseFactory) -> None:
    app = participant_app("kitchen", database_factory("kitchen"))
    with running(app) as kitchen:
        url = kitchen.base_url
        with socket.create_connection((url.host, url.port)) as impatient:
            request = f"GET /events?wait_seconds={LONG_WAIT} HTTP/1.1\r\nHost: {url.host}\r\n\r\n"
            impatient.sendall(request.encode())
            eventually(lambda: waiting(app))
        eventually(lambda: waiting(app, 0))  # hung up: the poll is not kept for its 30 s


def test_concurrent_writers_reach_a_following_reader_in_order_without_gaps(
    database_factory: DatabaseFactory, pool: ThreadPoolExecutor
) -> None:
    writers, each = 4, 5
    with running(participant_app("kitchen", database_factory("kitchen"))) as kitchen:
        opened = [
            pool.submit(lambda w: [open_restaurant(kitchen, f"r{w}") for _ in range(each)], w)
            for w in range(writers)
        ]
        seen: list[int] = []
        while len(seen) < writers * each:
            page = long_poll(kitchen, seen[-1] if seen else 0, limit=3)
            seen += [event["seq"] for event in page["events"]]
        for done in opened:
            done.result()
    assert seen == list(range(1, writers * each + 1))


@pytest.mark.postgres
def test_on_postgresql_a_commit_by_another_process_wakes_the_poll(
    pool: ThreadPoolExecutor,
) -> None:
    """Two apps on one database stand for two processes: each has its own engine and signal,
    so only PostgreSQL's NOTIFY can tell the reader about the writer's commit."""
    from tests.support.databases import postgres_database, require_postgres

    require_postgres()
    with ExitStack() as stack:
        url = stack.enter_context(postgres_database("saga_test_kitchen"))
        reader_app = participant_app("kitchen", url)
        reader = stack.enter_context(running(reader_app))
        writer = stack.enter_context(running(participant_app("kitchen", url)))
        poll: Future[Json] = pool.submit(long_poll, reader, 0)
        eventually(lambda: waiting(reader_app))
        restaurant = open_restaurant(writer)
        page = poll.result(timeout=LONG_WAIT)
    assert [event["payload"]["id"] for event in page["events"]] == [restaurant["id"]]
