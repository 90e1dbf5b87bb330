"""A compensation racing its own late action, held at chosen points by latches, on SQLite and
PostgreSQL: either the action is refused and nothing is left pending, or the action applies and
the compensation undoes it."""

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.conftest import DatabaseFactory
from tests.support.eventually import eventually
from tests.support.participants import (
    MENU,
    add_fault,
    answer,
    fault,
    keyed,
    participant_app,
    release,
    running,
)

ACTION_KEY, COMPENSATION_KEY = "saga-1:create_ticket:action", "saga-1:create_ticket:compensation"
TICKET = {"order_id": "o-1", "restaurant_id": "ajanta", "saga_id": "saga-1",
          "line_items": [{"menu_item_id": "curry", "quantity": 1}]}  # fmt: skip


@dataclass
class Kitchen:
    client: httpx.Client
    database_url: str

    def requests_waiting_for_a_lock(self) -> int:
        """Sessions of this database blocked on a row or key lock (PostgreSQL only)."""
        engine = create_engine(self.database_url)
        try:
            with engine.connect() as connection:
                query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                return int(connection.scalar(text(f"{query} AND wait_event_type = 'Lock'")) or 0)
        finally:
            engine.dispose()


@pytest.fixture
def kitchen(database_factory: DatabaseFactory) -> Iterator[Kitchen]:
    url = database_factory("kitchen")
    with running(participant_app("kitchen", url)) as client:
        body = {"id": "ajanta", "name": "Ajanta", "menu_items": MENU}
        answer(client.post("/restaurants", json=body), 201)
        yield Kitchen(client, url)


@pytest.fixture
def background() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        yield pool


def create_ticket(kitchen: Kitchen) -> httpx.Response:
    return kitchen.client.post("/tickets", json=TICKET, headers=keyed(ACTION_KEY))


def reject_ticket(kitchen: Kitchen) -> httpx.Response:
    return kitchen.client.post("/tickets/o-1/reject", headers=keyed(COMPENSATION_KEY))


def held(kitchen: Kitchen, rule_id: str) -> None:
    def waiting() -> None:
        assert fault(kitchen.client, rule_id)["held"] == 1

    eventually(waiting)


def blocked_or_answered(kitchen: Kitchen, call: "Future[httpx.Response]") -> None:
    """Wait until the late call has answered or waits for a lock the held call owns."""

    def settled() -> None:
        postgres = kitchen.database_url.startswith("postgresql")
        assert call.done() or not postgres or kitchen.requests_waiting_for_a_lock() > 0

    eventually(settled)


def assert_consistent(kitchen: Kitchen, action: httpx.Response, undo: httpx.Response) -> None:
    ticket = kitchen.client.get("/tickets/o-1")
    assert undo.status_code == 200, undo.text
    if action.status_code == 409:
        assert action.json()["error"]["code"] == "already_compensated"
        assert ticket.status_code == 404, ticket.text
        assert undo.json()["compensated"] is False
    else:
        assert action.status_code == 201, action.text
        assert ticket.json()["state"] == "REJECTED", ticket.text
        assert undo.json()["state"] == "REJECTED"


Call = Callable[[Kitchen], httpx.Response]


@dataclass(frozen=True)
class Race:
    """`first` is held by the fault `rule` (at its first statement containing the rule's `sql`);
    `late` arrives meanwhile."""

    first: Call
    rule: dict[str, str]
    late: Call


RACES = {
    # The compensation is held at its first statement about the action's key.
    "an_action_committing_while_its_compensation_runs_is_undone_or_refused": Race(
        reject_ticket, {"path": "/tickets/o-1/reject", "sql": ACTION_KEY}, create_ticket
    ),
    "a_compensation_holding_the_action_key_refuses_the_late_action": Race(
        reject_ticket, {"path": "/tickets/o-1/reject", "sql": "FROM ticket"}, create_ticket
    ),
    "a_compensation_arriving_while_its_action_commits_undoes_it": Race(
        create_ticket,
        {"path": "/tickets", "method": "POST", "sql": "INSERT INTO ticket"},
        reject_ticket,
    ),
}


@pytest.mark.parametrize("race", RACES.values(), ids=RACES.keys())
def test_a_late_call_is_undone_or_refused(
    kitchen: Kitchen, background: ThreadPoolExecutor, race: Race
) -> None:
    rule = add_fault(kitchen.client, hold=True, **race.rule)
    calls = {race.first: background.submit(race.first, kitchen)}
    held(kitchen, rule["id"])
    calls[race.late] = background.submit(race.late, kitchen)
    blocked_or_answered(kitchen, calls[race.late])
    release(kitchen.client, rule["id"])
    action, undo = calls[create_ticket].result(timeout=30), calls[reject_ticket].result(timeout=30)
    assert_consistent(kitchen, action, undo)
