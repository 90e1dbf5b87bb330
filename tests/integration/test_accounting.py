"""Accounting service over real HTTP, on SQLite and PostgreSQL."""

import httpx

from tests.support.participants import Json, answer, assert_error, event_types, events, send_twice


def open_account(client: httpx.Client, consumer_id: str = "ann", limit: int = 10_000) -> Json:
    body = {"consumer_id": consumer_id, "credit_limit_cents": limit}
    return answer(client.post("/accounts", json=body), 201)


def authorization(order_id: str, amount: int, consumer_id: str = "ann") -> Json:
    return {
        "order_id": order_id,
        "consumer_id": consumer_id,
        "amount_cents": amount,
        "saga_id": f"create-order-{order_id}",
    }


def available(client: httpx.Client, consumer_id: str = "ann") -> int:
    cents: int = client.get(f"/accounts/{consumer_id}").json()["available_cents"]
    return cents


def test_opens_an_account_with_its_whole_limit_available(accounting: httpx.Client) -> None:
    account = open_account(accounting, limit=5000)

    assert (account["credit_limit_cents"], account["available_cents"]) == (5000, 5000)
    assert accounting.get("/accounts/ann").json() == account
    duplicate = accounting.post("/accounts", json={"consumer_id": "ann", "credit_limit_cents": 1})
    assert_error(duplicate, 409, "account_exists")
    [event] = events(accounting)
    assert (event["event_type"], event["aggregate_type"]) == ("AccountOpened", "account")
    assert (event["aggregate_id"], event["payload"]) == ("ann", account)
    assert_error(accounting.get("/accounts/nobody"), 404, "account_not_found")


def test_authorizes_within_the_available_credit(accounting: httpx.Client) -> None:
    open_account(accounting, limit=1000)

    authorized = accounting.post("/authorizations", json=authorization("o-1", 600))

    assert authorized.status_code == 201
    body = authorized.json()
    assert (body["order_id"], body["amount_cents"], body["state"]) == ("o-1", 600, "AUTHORIZED")
    assert accounting.get("/authorizations/o-1").json() == body
    assert available(accounting) == 400
    event = events(accounting)[-1]
    assert (event["event_type"], event["aggregate_type"]) == ("CardAuthorized", "authorization")
    assert (event["aggregate_id"], event["payload"]) == ("o-1", body)


def test_declines_beyond_the_available_credit_and_keeps_the_decline(
    accounting: httpx.Client,
) -> None:
    open_account(accounting, limit=1000)
    accounting.post("/authorizations", json=authorization("o-1", 600))

    declined = accounting.post("/authorizations", json=authorization("o-2", 401))
    exact = accounting.post("/authorizations", json=authorization("o-3", 400))

    assert_error(declined, 422, "card_declined")
    kept = accounting.get("/authorizations/o-2").json()
    assert (kept["state"], kept["amount_cents"]) == ("DECLINED", 401)
    assert exact.json()["state"] == "AUTHORIZED"
    assert available(accounting) == 0
    assert event_types(accounting) == [
        "AccountOpened",
        "CardAuthorized",
        "CardDeclined",
        "CardAuthorized",
    ]
    assert events(accounting)[2]["payload"] == kept


def test_refuses_an_authorization_without_an_account_or_twice(accounting: httpx.Client) -> None:
    open_account(accounting)
    accounting.post("/authorizations", json=authorization("o-1", 100))

    no_account = accounting.post("/authorizations", json=authorization("o-2", 1, "bob"))
    twice = accounting.post("/authorizations", json=authorization("o-1", 100))

    assert_error(no_account, 422, "account_not_found")
    assert_error(accounting.get("/authorizations/o-2"), 404, "authorization_not_found")
    assert_error(twice, 409, "authorization_exists")
    assert available(accounting) == 9_900
    assert event_types(accounting) == ["AccountOpened", "CardAuthorized"]


def test_reverses_an_authorization_once(accounting: httpx.Client) -> None:
    open_account(accounting, limit=1000)
    accounting.post("/authorizations", json=authorization("o-1", 600))
    accounting.post("/authorizations", json=authorization("o-2", 900))

    reversed_ = accounting.post("/authorizations/o-1/reverse")

    assert reversed_.status_code == 200
    assert reversed_.json()["state"] == "REVERSED"
    assert available(accounting) == 1000
    for order_id in ("o-1", "o-2", "unknown"):  # reversed, declined, never authorized
        refused = accounting.post(f"/authorizations/{order_id}/reverse")
        assert_error(refused, 409, "authorization_not_reversible")
    assert available(accounting) == 1000
    assert event_types(accounting)[-1] == "AuthorizationReversed"
    assert events(accounting)[-1]["payload"] == accounting.get("/authorizations/o-1").json()


def test_every_mutating_endpoint_replays_its_first_answer(accounting: httpx.Client) -> None:
    send_twice(
        accounting, "POST", "/accounts", "open", {"consumer_id": "ann", "credit_limit_cents": 1000}
    )
    send_twice(accounting, "POST", "/authorizations", "auth-1", authorization("o-1", 600))
    declined = send_twice(
        accounting, "POST", "/authorizations", "auth-2", authorization("o-2", 500)
    )
    send_twice(accounting, "POST", "/authorizations/o-1/reverse", "reverse-1")
    # The declined answer stands even though the credit is back: a key answers once.
    replayed = accounting.post(
        "/authorizations", json=authorization("o-2", 500), headers={"Idempotency-Key": "auth-2"}
    )

    assert_error(declined, 422, "card_declined")
    assert_error(replayed, 422, "card_declined")
    assert available(accounting) == 1000
    assert event_types(accounting) == [
        "AccountOpened",
        "CardAuthorized",
        "CardDeclined",
        "AuthorizationReversed",
    ]


INVALID_ACCOUNTS = [{}, {"consumer_id": "ann"}, {"consumer_id": "ann", "credit_limit_cents": -1}]
INVALID_AUTHORIZATIONS = [
    {},
    authorization("o-1", -5),
    authorization("", 5),
    authorization("o-1", 5) | {"amount_cents": "lots"},
]


def test_invalid_bodies_are_refused(accounting: httpx.Client) -> None:
    for body in INVALID_ACCOUNTS:
        assert accounting.post("/accounts", json=body).status_code == 422, body
    open_account(accounting)
    for body in INVALID_AUTHORIZATIONS:
        assert accounting.post("/authorizations", json=body).status_code == 422, body

    assert event_types(accounting) == ["AccountOpened"]
