"""GET /sagas and GET /sagas/{id}: filters, pagination, visibility, errors."""

import httpx
import pytest

from tests.support.eventually import eventually_async
from tests.support.participants import assert_error
from tests.support.sagas import Json, place_order, saga_ends
from tests.support.seed import new_world
from tests.support.stack import Stack


async def declined_sagas(stack: Stack, api: httpx.AsyncClient, count: int) -> list[str]:
    """`count` Create Order sagas that end COMPENSATED (card declined)."""
    world = await new_world(stack.http, stack.participants, credit_cents=100)
    saga_ids = [(await place_order(api, world.order((0, 1))))["saga_id"] for _ in range(count)]
    for saga_id in saga_ids:
        assert (await saga_ends(api, saga_id))["status"] == "COMPENSATED"
    return saga_ids


async def listing(api: httpx.AsyncClient, **params: str | int) -> Json:
    response = await api.get("/sagas", params=params)
    assert response.status_code == 200, response.text
    page: Json = response.json()
    return page


async def test_list_filters_by_type_and_status(stack: Stack, api: httpx.AsyncClient) -> None:
    [compensated] = await declined_sagas(stack, api, 1)
    world = await new_world(stack.http, stack.participants)
    completed = (await place_order(api, world.order((0, 1))))["saga_id"]
    await saga_ends(api, completed)

    async def listed() -> list[Json]:
        sagas: list[Json] = (await listing(api, saga_type="CreateOrder", status="COMPENSATED"))[
            "sagas"
        ]
        assert compensated in [saga["saga_id"] for saga in sagas]
        return sagas

    sagas = await eventually_async(listed)
    assert {(s["saga_type"], s["status"]) for s in sagas} == {("CreateOrder", "COMPENSATED")}
    assert completed not in [saga["saga_id"] for saga in sagas]
    assert all(saga["closed_at"] is not None for saga in sagas)
    cancel_sagas = (await listing(api, saga_type="CancelOrder", status="COMPENSATED"))["sagas"]
    assert compensated not in [saga["saga_id"] for saga in cancel_sagas]


async def test_list_pages_one_saga_at_a_time(stack: Stack, api: httpx.AsyncClient) -> None:
    mine = set(await declined_sagas(stack, api, 2))

    async def both_visible() -> None:
        sagas = (await listing(api, status="COMPENSATED", page_size=1000))["sagas"]
        assert mine <= {saga["saga_id"] for saga in sagas}

    await eventually_async(both_visible)
    seen: list[str] = []
    page = await listing(api, status="COMPENSATED", page_size=1)
    while True:
        assert len(page["sagas"]) <= 1
        seen += [saga["saga_id"] for saga in page["sagas"]]
        if page["next_page_token"] is None:
            break
        token = page["next_page_token"]
        page = await listing(api, status="COMPENSATED", page_size=1, page_token=token)
    assert len(seen) == len(set(seen)), "a saga appeared on two pages"
    assert mine <= set(seen)


async def test_a_page_token_only_continues_its_own_query(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    await declined_sagas(stack, api, 2)

    async def two_pages() -> str:
        token = (await listing(api, status="COMPENSATED", page_size=1))["next_page_token"]
        assert token is not None
        return str(token)

    token = await eventually_async(two_pages)
    other_filter = await api.get("/sagas", params={"status": "COMPLETED", "page_token": token})
    assert other_filter.status_code == 400
    assert other_filter.json()["error"]["code"] == "invalid_page_token"
    same_filter = await api.get("/sagas", params={"status": "COMPENSATED", "page_token": token})
    assert same_filter.status_code == 200


async def test_visibility_finds_compensated_sagas_by_search_attribute(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    mine = await declined_sagas(stack, api, 2)
    ids = ", ".join(f"'{saga_id}'" for saga_id in mine)
    query = f"SagaStatus = 'COMPENSATED' AND SagaType = 'CreateOrder' AND WorkflowId IN ({ids})"

    async def found() -> None:
        executions = [e async for e in stack.client.list_workflows(query)]
        assert sorted(e.id for e in executions) == sorted(mine)

    await eventually_async(found)


BAD_FILTERS = {
    "unknown status": ({"status": "DONE"}, 422, "invalid_status"),
    "status in lower case": ({"status": "compensated"}, 422, "invalid_status"),
    "unknown saga type": ({"saga_type": "RefundOrder"}, 422, "invalid_saga_type"),
    "quote in saga type": ({"saga_type": "CreateOrder' OR 'a'='a"}, 422, "invalid_saga_type"),
    "page token not base64": ({"page_token": "a"}, 400, "invalid_page_token"),
    "page token without a byte": ({"page_token": "!!!"}, 400, "invalid_page_token"),
    "page token of garbage": ({"page_token": "Z2FyYmFnZQ=="}, 400, "invalid_page_token"),
}


@pytest.mark.parametrize(("params", "status", "code"), BAD_FILTERS.values(), ids=BAD_FILTERS.keys())
async def test_bad_filters_are_refused(
    api: httpx.AsyncClient, params: dict[str, str], status: int, code: str
) -> None:
    response = await api.get("/sagas", params=params)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert "SagaStatus." not in response.json()["error"]["message"]


@pytest.mark.parametrize("page_size", [0, -1, 1001, "many"])
async def test_bad_page_sizes_are_refused(api: httpx.AsyncClient, page_size: int | str) -> None:
    response = await api.get("/sagas", params={"page_size": page_size})
    assert response.status_code == 422, response.text


# Fixed ids (never started: each session has its own server), the same in every xdist worker.
@pytest.mark.parametrize("saga_id", ["create-order-never-started", "revise-order-never-started-1"])
async def test_an_unknown_saga_is_404(api: httpx.AsyncClient, saga_id: str) -> None:
    response = await api.get(f"/sagas/{saga_id}")
    assert_error(response, 404, "saga_not_found")


async def test_a_saga_reports_its_steps(stack: Stack, api: httpx.AsyncClient) -> None:
    world = await new_world(stack.http, stack.participants)
    accepted = await place_order(api, world.order((0, 1)))
    saga = await saga_ends(api, accepted["saga_id"])
    assert (saga["saga_id"], saga["saga_type"]) == (accepted["saga_id"], "CreateOrder")
    assert saga["started_at"] <= saga["closed_at"]
    assert saga["web_ui_url"].endswith(f"/workflows/{accepted['saga_id']}")
    kinds = [(s["name"], s["kind"], s["compensation"]) for s in saga["steps"]]
    assert kinds == [
        ("create_order", "compensatable", "orders.reject_order"),
        ("verify_consumer", "compensatable", None),
        ("create_ticket", "compensatable", "kitchen.reject_ticket"),
        ("authorize_card", "pivot", None),
        ("approve_ticket", "retriable", None),
        ("approve_order", "retriable", None),
    ]
