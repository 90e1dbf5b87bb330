"""An Idempotency-Key names one request: a repeat replays the first answer, the same key with
another request is refused with `422 idempotency_key_reused` and changes nothing."""

import httpx
import pytest

from tests.conftest import StartParticipant
from tests.support.participants import MENU, answer, assert_error, events, keyed


@pytest.fixture
def kitchen(participant: StartParticipant) -> httpx.Client:
    return participant("kitchen")


def test_the_same_key_with_another_body_is_refused(kitchen: httpx.Client) -> None:
    ajanta = {"id": "ajanta", "name": "Ajanta", "menu_items": MENU}
    answer(kitchen.post("/restaurants", json=ajanta, headers=keyed("open")), 201)
    seq = len(events(kitchen))
    reordered = dict(reversed(ajanta.items()))
    replay = kitchen.post("/restaurants", json=reordered, headers=keyed("open"))
    other = kitchen.post("/restaurants", json=ajanta | {"id": "dosa"}, headers=keyed("open"))
    elsewhere = kitchen.patch("/restaurants/ajanta", json=ajanta, headers=keyed("open"))

    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert_error(other, 422, "idempotency_key_reused")
    assert_error(elsewhere, 422, "idempotency_key_reused")
    assert kitchen.get("/restaurants/dosa").status_code == 404
    assert len(events(kitchen)) == seq


def test_a_compensation_refuses_its_late_action_whatever_it_asks(kitchen: httpx.Client) -> None:
    undo = kitchen.post("/tickets/o-1/reject", headers=keyed("s:ticket:compensation"))
    ticket = {"order_id": "o-1", "restaurant_id": "ajanta",
              "line_items": [{"menu_item_id": "curry", "quantity": 1}]}  # fmt: skip
    late = kitchen.post("/tickets", json=ticket, headers=keyed("s:ticket:action"))
    undo_again = kitchen.post("/tickets/o-1/reject", headers=keyed("s:ticket:compensation"))

    assert answer(undo, 200)["compensated"] is False
    assert_error(late, 409, "already_compensated")
    assert undo_again.json() == undo.json()
