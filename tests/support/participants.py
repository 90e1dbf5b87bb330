"""Helpers for talking to a participant service over real HTTP."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from tests.support.servers import serve

Json = dict[str, Any]


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
