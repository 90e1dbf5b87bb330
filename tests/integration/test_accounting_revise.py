"""Accounting service, the Revise Order pivot, over real HTTP on SQLite and PostgreSQL."""

import httpx
import pytest

from tests.support.participants import Json, answer, assert_error, event_types, events, send_twice


@pytest.fixture(autouse=True)
def account_of_ann(accounting: httpx.Client) -> None:
    answer(
        accounting.post("/accounts", json={"consumer_id": "ann", "credit_limit_cents": 1000}), 201
    )


def authorized(client: httpx.Client, order_id: str = "o-1", amount: int = 600) -> Json:
    body = {"order_id": order_id, "consumer_id": "ann", "amount_cents": amount}
    return answer(client.post("/authorizations", json=body), 201)


def revise(client: httpx.Client, amount: int, order_id: str = "o-1") -> httpx.Response:
    return client.post(f"/authorizations/{order_id}/revise", json={"amount_cents": amount})


def available(client: httpx.Client) -> int:
    cents: int = client.get("/accounts/ann").json()["available_cents"]
    return cents


def test_an_increase_takes_the_difference_a_decrease_gives_it_back(
    accounting: httpx.Client,
) -> None:
    authorized(accounting)

    increased = answer(revise(accounting, 1000), 200)
    assert (increased["amount_cents"], increased["state"], available(accounting)) == (
        1000,
        "AUTHORIZED",
        0,
    )
    decreased = answer(revise(accounting, 250), 200)
    assert (decreased["amount_cents"], available(accounting)) == (250, 750)
    same = answer(revise(accounting, 250), 200)
    assert (same["amount_cents"], available(accounting)) == (250, 750)

    assert accounting.get("/authorizations/o-1").json() == same
    feed = events(accounting)
    assert [e["event_type"] for e in feed[-3:]] == ["AuthorizationRevised"] * 3
    assert [e["payload"] for e in feed[-3:]] == [increased, decreased, same]


def test_an_increase_beyond_the_available_credit_is_declined_and_changes_nothing(
    accounting: httpx.Client,
) -> None:
    before = authorized(accounting)
    seq = len(events(accounting))

    assert_error(revise(accounting, 1001), 422, "card_declined")

    assert accounting.get("/authorizations/o-1").json() == before
    assert available(accounting) == 400
    assert len(events(accounting)) == seq


def test_only_an_authorized_authorization_is_revised(accounting: httpx.Client) -> None:
    authorized(accounting)
    accounting.post("/authorizations/o-1/reverse")

    assert_error(revise(accounting, 100), 409, "authorization_not_revisable")
    assert_error(revise(accounting, 100, "nothing"), 409, "authorization_not_revisable")
    assert revise(accounting, -1).status_code == 422
    assert available(accounting) == 1000


def test_revise_is_idempotent(accounting: httpx.Client) -> None:
    authorized(accounting, amount=100)

    first = send_twice(
        accounting, "POST", "/authorizations/o-1/revise", "r-1", {"amount_cents": 300}
    )
    declined = send_twice(
        accounting, "POST", "/authorizations/o-1/revise", "r-2", {"amount_cents": 5000}
    )

    assert first.json()["amount_cents"] == 300
    assert_error(declined, 422, "card_declined")
    assert available(accounting) == 700
    assert event_types(accounting)[-2:] == ["CardAuthorized", "AuthorizationRevised"]
