"""GET /saga-types and the Mermaid diagrams of definitions and of running sagas."""

import httpx

from tests.support.sagas import place_order, saga_ends
from tests.support.seed import new_world
from tests.support.stack import Stack
from workflows.registry import DEFINITIONS


async def test_saga_types_list_every_definition_with_its_steps(api: httpx.AsyncClient) -> None:
    response = await api.get("/saga-types")
    assert response.status_code == 200, response.text
    types = {t["saga_type"]: t for t in response.json()["saga_types"]}
    assert set(types) == set(DEFINITIONS)
    create = types["CreateOrder"]
    assert create["version"] == DEFINITIONS["CreateOrder"].version
    assert [s["name"] for s in create["steps"]] == [
        s.name for s in DEFINITIONS["CreateOrder"].steps
    ]
    pivot = next(s for s in create["steps"] if s["kind"] == "pivot")
    assert pivot == {
        "name": "authorize_card",
        "kind": "pivot",
        "action": "accounting.authorize_card",
        "compensation": None,
        "group": None,
    }


async def test_type_diagram_is_mermaid(api: httpx.AsyncClient) -> None:
    response = await api.get("/saga-types/CancelOrder/diagram")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/vnd.mermaid")
    assert response.text.startswith("flowchart LR")
    assert "reverse_authorization{{" in response.text


async def test_unknown_type_is_404(api: httpx.AsyncClient) -> None:
    response = await api.get("/saga-types/ShipOrder/diagram")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "saga_type_not_found"


async def test_saga_diagram_classes_steps_by_status(stack: Stack, api: httpx.AsyncClient) -> None:
    world = await new_world(stack.http, stack.participants, credit_cents=100)
    saga_id = (await place_order(api, world.order((0, 1))))["saga_id"]
    assert (await saga_ends(api, saga_id))["status"] == "COMPENSATED"
    response = await api.get(f"/sagas/{saga_id}/diagram")
    assert response.status_code == 200, response.text
    assert "class authorize_card FAILED" in response.text
    assert "class create_ticket COMPENSATED" in response.text


async def test_diagrams_need_the_token(stack: Stack) -> None:
    async with stack.api_client(token=None) as anonymous:
        assert (await anonymous.get("/saga-types")).status_code == 401
        assert (await anonymous.get("/saga-types/CreateOrder/diagram")).status_code == 401
