"""A request that fails validation answers the one error body every service uses:
`422 {"error": {"code": "invalid_request", "message", "details": [...]}}`."""

from pathlib import Path

from tests.support.api_app import TOKEN, api_client
from tests.support.participants import Json, answer, participant_app, running


def invalid_request(body: Json) -> list[Json]:
    """The details of an `invalid_request` error body."""
    assert set(body) == {"error"}, body
    error = body["error"]
    assert (error["code"], bool(error["message"])) == ("invalid_request", True), error
    details: list[Json] = error["details"]
    assert details and all({"loc", "msg", "type"} <= set(detail) for detail in details), details
    return details


def test_a_participant_answers_invalid_request(tmp_path: Path) -> None:
    with running(participant_app("kitchen", f"sqlite:///{tmp_path / 'k.db'}")) as kitchen:
        missing = kitchen.post("/tickets", json={"order_id": "o-1"})
        not_json = kitchen.post(
            "/tickets", content=b"{", headers={"content-type": "application/json"}
        )
    details = invalid_request(answer(missing, 422))
    assert {tuple(detail["loc"]) for detail in details} >= {("body", "restaurant_id")}
    invalid_request(answer(not_json, 422))


async def test_the_api_answers_invalid_request() -> None:
    async with api_client() as api:
        response = await api.post(
            "/orders", json={"consumer_id": "c"}, headers={"Authorization": f"Bearer {TOKEN}"}
        )
    assert response.status_code == 422, response.text
    invalid_request(response.json())
