"""Only a participant's business rejection (a 4xx marked `Business-Rejection`) stops a saga step;
every other failure answer is technical and retried. Classified from real participant answers."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.participant import Participant
from http_contract.headers import BUSINESS_REJECTION
from tests.support.participants import MENU, participant_app
from tests.support.servers import RunningServer, serve
from workflows.state import StepCall

Json = dict[str, Any]
TICKET = {"order_id": "o-1", "restaurant_id": "ajanta", "saga_id": "s",
          "line_items": [{"menu_item_id": "curry", "quantity": 1}]}  # fmt: skip


@pytest.fixture
async def kitchen(tmp_path: Path) -> AsyncIterator[RunningServer]:
    with serve(participant_app("kitchen", f"sqlite:///{tmp_path / 'k.db'}")) as server:
        async with httpx.AsyncClient(base_url=server.url) as http:
            body = {"id": "ajanta", "name": "Ajanta", "menu_items": MENU}
            assert (await http.post("/restaurants", json=body)).status_code == 201
        yield server


async def failure(
    server: RunningServer, path: str, body: Json | None, key: str
) -> ApplicationError:
    """The error the activity client raises for the participant's answer to this call."""
    async with httpx.AsyncClient() as http:
        participant = Participant(http, server.url)
        call = StepCall(saga_id="s", step=key, role="action", input={})
        with pytest.raises(ApplicationError) as raised:
            await ActivityEnvironment().run(participant.post, path, call, body)
    return raised.value


async def inject(server: RunningServer, path: str, status: int) -> None:
    async with httpx.AsyncClient() as http:
        rule = {"path": path, "status": status, "times": 1}
        assert (await http.post(f"{server.url}/_faults", json=rule)).status_code == 201


async def test_a_business_rejection_is_final_and_keeps_its_code(kitchen: RunningServer) -> None:
    closed = TICKET | {"restaurant_id": "nowhere"}
    first = await failure(kitchen, "/tickets", closed, "create")
    replayed = await failure(kitchen, "/tickets", closed, "create")
    for error in (first, replayed):
        assert (error.type, error.non_retryable) == ("unknown_restaurant", True)


async def test_a_participant_answers_its_rejections_with_the_marker(
    kitchen: RunningServer,
) -> None:
    async with httpx.AsyncClient(base_url=kitchen.url) as http:
        refused = await http.post("/tickets/nothing/approve")
        missing_route = await http.post("/no-such-route")
    assert (refused.status_code, refused.headers[BUSINESS_REJECTION]) == (404, "ticket_not_found")
    assert BUSINESS_REJECTION not in missing_route.headers


@pytest.mark.parametrize("status", [403, 409, 413, 422])
async def test_a_4xx_without_the_marker_is_retried(kitchen: RunningServer, status: int) -> None:
    await inject(kitchen, "/tickets", status)
    error = await failure(kitchen, "/tickets", TICKET, f"injected-{status}")
    assert error.non_retryable is False, error


async def test_a_missing_route_is_retried(kitchen: RunningServer) -> None:
    error = await failure(kitchen, "/no-such-route", {}, "missing")
    assert (error.type, error.non_retryable) == ("not_found", False)


async def test_a_validation_error_is_retried(kitchen: RunningServer) -> None:
    error = await failure(kitchen, "/tickets", {"order_id": "o-2"}, "invalid")
    assert error.non_retryable is False
