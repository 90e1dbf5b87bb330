"""Contract C: every internal list pages by id, in byte order, on SQLite and PostgreSQL."""

from collections.abc import Callable

import httpx

from tests.support.participants import answer

# Upper case, punctuation: a database collation that is not binary would order these otherwise.
CONSUMERS = ["b", "a_2", "A", "a-1", "B"]


def all_pages(client: httpx.Client, path: str, limit: int) -> list[list[str]]:
    pages, after = [], None
    while True:
        params = {"limit": limit} | ({"after": after} if after else {})
        page = answer(client.get(path, params=params), 200)
        pages.append([item["consumer_id"] for item in page["items"]])
        after = page["next_after"]
        if after is None:
            return pages


def test_accounts_come_in_byte_order_a_page_at_a_time(
    participant: Callable[..., httpx.Client],
) -> None:
    accounting = participant("accounting")
    for consumer_id in CONSUMERS:
        body = {"consumer_id": consumer_id, "credit_limit_cents": 100}
        answer(accounting.post("/accounts", json=body), 201)
    assert all_pages(accounting, "/internal/accounts", limit=2) == [
        ["A", "B"],
        ["a-1", "a_2"],
        ["b"],
    ]
    assert all_pages(accounting, "/internal/accounts", limit=5) == [sorted(CONSUMERS)]


def test_every_participant_serves_its_lists_and_bounds_the_limit(
    participant: Callable[..., httpx.Client],
) -> None:
    kitchen = participant("kitchen")
    orders, accounting = (
        participant("orders", kitchen_url=str(kitchen.base_url)),
        participant("accounting"),
    )
    for client, path in [
        (orders, "/internal/orders"),
        (kitchen, "/internal/tickets"),
        (accounting, "/internal/authorizations"),
        (accounting, "/internal/accounts"),
    ]:
        assert answer(client.get(path), 200) == {"items": [], "next_after": None}
        for limit in (0, 1001):
            assert client.get(path, params={"limit": limit}).status_code == 422
