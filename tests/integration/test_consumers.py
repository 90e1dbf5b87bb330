"""Consumers service over real HTTP, on SQLite and PostgreSQL."""

import httpx

from tests.support.participants import (
    Json,
    answer,
    assert_error,
    event_types,
    events,
    keyed,
    send_twice,
)


def register(client: httpx.Client, **fields: object) -> Json:
    return answer(client.post("/consumers", json={"name": "Ann", **fields}), 201)


def test_registers_a_consumer_with_a_generated_id(consumers: httpx.Client) -> None:
    ann = register(consumers)

    assert ann["status"] == "ACTIVE" and len(ann["id"]) == 32
    assert consumers.get(f"/consumers/{ann['id']}").json() == ann
    [created] = events(consumers)
    assert (created["event_type"], created["aggregate_type"]) == ("ConsumerCreated", "consumer")
    assert (created["aggregate_id"], created["payload"]) == (ann["id"], ann)


def test_registers_a_consumer_with_a_given_id_and_status(consumers: httpx.Client) -> None:
    bob = register(consumers, id="bob", name="Bob", status="SUSPENDED")

    assert (bob["id"], bob["status"]) == ("bob", "SUSPENDED")
    duplicate = consumers.post("/consumers", json={"id": "bob", "name": "B"})
    assert_error(duplicate, 409, "consumer_exists")
    assert_error(consumers.get("/consumers/nobody"), 404, "consumer_not_found")
    unknown = consumers.post("/consumers/nobody/status", json={"status": "ACTIVE"})
    assert_error(unknown, 404, "consumer_not_found")


def test_suspends_and_reactivates(consumers: httpx.Client) -> None:
    ann = register(consumers)
    status = f"/consumers/{ann['id']}/status"

    suspended = consumers.post(status, json={"status": "SUSPENDED"})
    unchanged = consumers.post(status, json={"status": "SUSPENDED"})
    active = consumers.post(status, json={"status": "ACTIVE"})

    assert [r.json()["status"] for r in (suspended, unchanged, active)] == [
        "SUSPENDED",
        "SUSPENDED",
        "ACTIVE",
    ]
    assert event_types(consumers) == [
        "ConsumerCreated",
        "ConsumerStatusChanged",
        "ConsumerStatusChanged",
    ]
    assert events(consumers)[-1]["payload"] == consumers.get(f"/consumers/{ann['id']}").json()


def test_verifies_an_active_consumer(consumers: httpx.Client) -> None:
    ann = register(consumers)

    verified = consumers.post(
        f"/consumers/{ann['id']}/verify", json={"order_id": "o-1", "total_cents": 1250}
    )

    assert verified.status_code == 200
    assert verified.json() == {"consumer_id": ann["id"], "verified": True}
    event = events(consumers)[-1]
    assert event["event_type"] == "ConsumerVerified"
    assert event["payload"] == ann | {"order_id": "o-1", "total_cents": 1250}
    assert consumers.post(f"/consumers/{ann['id']}/verify").json()["verified"] is True  # no body


def test_verify_rejects_unknown_and_suspended_consumers(consumers: httpx.Client) -> None:
    suspended = register(consumers, status="SUSPENDED")

    assert_error(consumers.post("/consumers/nobody/verify"), 422, "consumer_not_found")
    assert_error(consumers.post(f"/consumers/{suspended['id']}/verify"), 422, "consumer_suspended")
    assert event_types(consumers) == ["ConsumerCreated"]


def test_every_mutating_endpoint_replays_its_first_answer(consumers: httpx.Client) -> None:
    ann = send_twice(consumers, "POST", "/consumers", "k-create", {"name": "Ann"}).json()
    status = f"/consumers/{ann['id']}/status"
    send_twice(consumers, "POST", status, "k-suspend", {"status": "SUSPENDED"})
    refused = send_twice(consumers, "POST", f"/consumers/{ann['id']}/verify", "k-verify-1")
    consumers.post(status, json={"status": "ACTIVE"})
    send_twice(consumers, "POST", f"/consumers/{ann['id']}/verify", "k-verify-2")

    assert_error(refused, 422, "consumer_suspended")
    replayed = consumers.post(f"/consumers/{ann['id']}/verify", headers=keyed("k-verify-1"))
    assert_error(replayed, 422, "consumer_suspended")  # the first answer, not today's
    assert event_types(consumers) == [
        "ConsumerCreated",
        "ConsumerStatusChanged",
        "ConsumerStatusChanged",
        "ConsumerVerified",
    ]


INVALID_REGISTRATIONS = [{}, {"name": ""}, {"name": "Ann", "status": "GONE"}, {"name": 3}]


def test_invalid_bodies_are_refused(consumers: httpx.Client) -> None:
    for body in INVALID_REGISTRATIONS:
        assert consumers.post("/consumers", json=body).status_code == 422
    ann = register(consumers)

    assert consumers.post(f"/consumers/{ann['id']}/status", json={}).status_code == 422
    verify = f"/consumers/{ann['id']}/verify"
    assert consumers.post(verify, json={"total_cents": -1}).status_code == 422
    assert event_types(consumers) == ["ConsumerCreated"]
