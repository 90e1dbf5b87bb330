"""Fault injection on a participant over real HTTP: when, status, drop, hold latches, counts."""

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.support.eventually import eventually
from tests.support.participants import (
    Json,
    add_fault,
    answer,
    assert_error,
    fault,
    keyed,
    participant_app,
    release,
    running,
)


@pytest.fixture
def consumers(tmp_path: Path) -> Iterator[httpx.Client]:
    with running(participant_app("consumers", f"sqlite:///{tmp_path / 'c.db'}")) as client:
        yield client


@pytest.fixture
def background() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        yield pool


def register(consumers: httpx.Client, consumer_id: str, key: str | None = None) -> httpx.Response:
    headers = keyed(key) if key else None
    return consumers.post("/consumers", json={"id": consumer_id, "name": "Ann"}, headers=headers)


def exists(consumers: httpx.Client, consumer_id: str) -> bool:
    return consumers.get(f"/consumers/{consumer_id}").status_code == 200


def held(consumers: httpx.Client, rule_id: str, count: int = 1) -> Json:
    """Wait until `count` requests wait on the rule."""

    def waiting() -> Json:
        rule = fault(consumers, rule_id)
        assert rule["held"] == count, rule
        return rule

    return eventually(waiting)


def test_a_rule_answers_with_an_id_and_counts_its_hits(consumers: httpx.Client) -> None:
    first = add_fault(consumers, "/consumers", method="POST", times=1)
    second = add_fault(consumers, "/consumers/.*", method="GET", status=None)
    assert first["id"] != second["id"]
    assert (first["when"], first["hold"], first["drop"], first["hits"]) == (
        "before",
        False,
        False,
        0,
    )
    assert_error(register(consumers, "ann"), 503, "injected_fault")
    assert register(consumers, "ann").status_code == 201  # times=1: spent
    assert exists(consumers, "ann")
    assert (fault(consumers, first["id"])["hits"], fault(consumers, second["id"])["hits"]) == (1, 1)


def test_before_fails_the_request_before_anything_is_committed(consumers: httpx.Client) -> None:
    add_fault(consumers, "/consumers", status=503, code="outage")
    assert_error(register(consumers, "ann", key="k1"), 503, "outage")
    assert not exists(consumers, "ann")


def test_after_commits_then_loses_the_answer(consumers: httpx.Client) -> None:
    add_fault(consumers, "/consumers", when="after", status=503, times=1)
    assert_error(register(consumers, "ann", key="k1"), 503, "injected_fault")
    assert exists(consumers, "ann")
    again = register(consumers, "ann", key="k1")
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"


def test_after_with_a_null_status_delivers_the_real_answer(consumers: httpx.Client) -> None:
    add_fault(consumers, "/consumers", when="after", status=None, delay_ms=1)
    assert answer(register(consumers, "ann"), 201)["id"] == "ann"


def test_drop_after_commits_and_closes_the_connection(consumers: httpx.Client) -> None:
    add_fault(consumers, "/consumers", when="after", drop=True, times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        register(consumers, "ann", key="k1")
    assert exists(consumers, "ann")


def test_hold_before_waits_until_released_with_nothing_committed(
    consumers: httpx.Client, background: ThreadPoolExecutor
) -> None:
    rule = add_fault(consumers, "/consumers", hold=True, status=None)
    call: Future[httpx.Response] = background.submit(register, consumers, "ann")
    held(consumers, rule["id"])
    assert not exists(consumers, "ann") and not call.done()
    assert release(consumers, rule["id"])["id"] == rule["id"]
    assert answer(call.result(timeout=30), 201)["id"] == "ann"
    assert fault(consumers, rule["id"])["held"] == 0
    assert register(consumers, "bob").status_code == 201  # a released rule lets later calls pass


def test_hold_after_waits_with_the_change_committed(
    consumers: httpx.Client, background: ThreadPoolExecutor
) -> None:
    rule = add_fault(consumers, "/consumers", hold=True, when="after", status=None)
    call: Future[httpx.Response] = background.submit(register, consumers, "ann")
    held(consumers, rule["id"])
    assert exists(consumers, "ann") and not call.done()
    release(consumers, rule["id"])
    assert answer(call.result(timeout=30), 201)["id"] == "ann"


def test_clearing_the_rules_releases_every_held_request(
    consumers: httpx.Client, background: ThreadPoolExecutor
) -> None:
    rule = add_fault(consumers, "/consumers", hold=True, status=503)
    calls = [background.submit(register, consumers, name) for name in ("ann", "bob")]
    held(consumers, rule["id"], count=2)
    assert consumers.delete("/_faults").status_code == 204
    assert [call.result(timeout=30).status_code for call in calls] == [503, 503]
    assert consumers.get("/_faults").json() == []


def test_hold_at_a_statement_waits_inside_the_transaction(
    consumers: httpx.Client, background: ThreadPoolExecutor
) -> None:
    rule = add_fault(consumers, "/consumers", hold=True, sql="INSERT INTO consumer")
    call: Future[httpx.Response] = background.submit(register, consumers, "ann")
    held(consumers, rule["id"])
    assert not call.done()
    release(consumers, rule["id"])
    assert answer(call.result(timeout=30), 201)["id"] == "ann"


def test_releasing_an_unknown_rule_is_404(consumers: httpx.Client) -> None:
    assert_error(consumers.post("/_faults/nothing/release"), 404, "fault_not_found")


def test_a_latch_holds_many_requests_at_once(consumers: httpx.Client) -> None:
    rule = add_fault(consumers, "/consumers", hold=True, status=None)
    names = [f"c{number}" for number in range(12)]
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        calls = [pool.submit(register, consumers, name) for name in names]
        held(consumers, rule["id"], count=len(names))
        release(consumers, rule["id"])
        assert [call.result(timeout=30).status_code for call in calls] == [201] * len(names)
