"""The consistency audit on a stack of its own: clean after sagas of every outcome, and each
rule fires on an inconsistency made through the participants' own endpoints (or, where no
endpoint can make one, by writing to a service's database as a bug would)."""

import json
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from temporalio.client import Client

from activities.config import ParticipantUrls
from api.routes.audit import get_audit_config
from audit.config import AuditConfig, AuditSettings
from tests.support.eventually import eventually_async
from tests.support.sagas import place_order, saga_ends
from tests.support.seed import World, new_world
from tests.support.servers import RunningServer, start_server
from tests.support.stack import Stack, running_stack
from views.order_history.config import Settings as ViewSettings
from views.order_history.main import create_app as create_view

Json = dict[str, Any]


@dataclass
class AuditedStack:
    stack: Stack
    view: RunningServer
    data: Path
    api: httpx.AsyncClient

    @property
    def p(self) -> Any:
        return self.stack.participants

    def config(self, **settings: Any) -> AuditConfig:
        view = AuditSettings(order_history_url=self.view.url, **settings)
        return AuditConfig(self.p.urls(), view)

    def default_config(self) -> AuditConfig:
        return self.config()

    def env(self, **settings: str) -> dict[str, str]:
        urls = self.p.urls()
        return (
            os.environ
            | {
                "PARTICIPANT_ORDERS_URL": urls.orders_url,
                "PARTICIPANT_KITCHEN_URL": urls.kitchen_url,
                "PARTICIPANT_ACCOUNTING_URL": urls.accounting_url,
                "AUDIT_ORDER_HISTORY_URL": self.view.url,
            }
            | settings
        )

    def sql(self, database: str, statement: str, **params: Any) -> None:
        engine = create_engine(f"sqlite:///{self.data / database}.db")
        with engine.begin() as connection:
            connection.execute(text(statement), params)
        engine.dispose()


@pytest.fixture(scope="module")
async def audited(
    temporal_client: Client, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AuditedStack]:
    data = tmp_path_factory.mktemp("audited")
    async with running_stack(temporal_client, lambda name: f"sqlite:///{data / name}.db") as stack:
        urls: ParticipantUrls = stack.participants.urls()
        view = start_server(create_view(ViewSettings(
            database_url=f"sqlite:///{data / 'order_history'}.db", orders_url=urls.orders_url,
            kitchen_url=urls.kitchen_url, accounting_url=urls.accounting_url, poll_interval=0.05,
        )))  # fmt: skip
        audited = None
        async with stack.api_client() as api:
            audited = AuditedStack(stack, view, data, api)
            stack.api.app.dependency_overrides[get_audit_config] = audited.default_config
            yield audited
        view.stop()


async def audit(api: httpx.AsyncClient) -> Json:
    response = await api.get("/audit")
    assert response.status_code == 200, response.text
    body: Json = response.json()
    return body


async def audit_is_clean(api: httpx.AsyncClient) -> Json:
    async def clean() -> Json:
        body = await audit(api)
        assert body["ok"] and body["violations"] == [], body["violations"]
        return body

    return await eventually_async(clean, timeout=30, interval=0.2)


async def rules_broken_by(api: httpx.AsyncClient, order_id: str | None, *rules: str) -> None:
    async def broken() -> None:
        found = {v["rule"] for v in (await audit(api))["violations"] if v["order_id"] == order_id}
        assert found == set(rules), found

    await eventually_async(broken, timeout=30, interval=0.2)


async def saga_outcome(api: httpx.AsyncClient, body: Json) -> str:
    saga = await saga_ends(api, (await place_order(api, body))["saga_id"])
    return str((saga["error"] or {}).get("code") or saga["status"])


async def test_the_audit_is_clean_after_sagas_of_every_outcome(audited: AuditedStack) -> None:
    api, http, p = audited.api, audited.stack.http, audited.p
    world = await new_world(http, p, credit_cents=5000)
    closed = await new_world(http, p, accepting=False)
    suspended = await new_world(http, p, consumer_status="SUSPENDED")
    approved = await place_order(api, world.order((0, 1)))
    assert (await saga_ends(api, approved["saga_id"]))["status"] == "COMPLETED"
    outcomes = [
        await saga_outcome(api, world.order((0, 1))),
        await saga_outcome(api, world.order((0, 10))),
        await saga_outcome(api, closed.order((0, 1))),
        await saga_outcome(api, suspended.order((0, 1))),
        await saga_outcome(api, world.order((0, 1)) | {"restaurant_id": closed.restaurant_id}),
    ]
    assert outcomes == [
        "COMPLETED",
        "card_declined",
        "restaurant_not_accepting_orders",
        "consumer_suspended",
        "unknown_menu_item",
    ]
    cancel = await api.post(f"/orders/{approved['order_id']}/cancel")
    assert (await saga_ends(api, cancel.json()["saga_id"]))["status"] == "COMPLETED"
    body = await audit_is_clean(api)
    assert (
        body["checked"]["orders"] >= 5
        and body["checked"]["view_orders"] == body["checked"]["orders"]
    )
    assert body["checked"]["authorizations"] >= 3 and body["checked"]["accounts"] >= 3


def run_cli(audited: AuditedStack, **settings: str) -> tuple[int, Json]:
    done = subprocess.run(
        [sys.executable, "-m", "audit"],
        env=audited.env(**settings),
        capture_output=True,
        timeout=60,
    )
    return done.returncode, json.loads(done.stdout)


async def test_the_command_line_audit_agrees(audited: AuditedStack) -> None:
    await audit_is_clean(audited.api)
    code, body = run_cli(audited)
    assert code == 0 and body["ok"], body
    world = await new_world(audited.stack.http, audited.p)
    order_id = await direct_order(audited, world)
    code, body = run_cli(audited, AUDIT_PENDING_GRACE_SECONDS="0")
    assert code == 1 and not body["ok"]
    assert {"rule": "no_stale_semantic_lock", "order_id": order_id} in [
        {"rule": v["rule"], "order_id": v["order_id"]} for v in body["violations"]
    ]
    code, body = run_cli(audited, PARTICIPANT_KITCHEN_URL="http://127.0.0.1:9")
    assert code == 2 and body["error"]["code"] == "audit_unavailable"


async def direct_order(audited: AuditedStack, world: World, *commands: str) -> str:
    """An order made by calling the orders service directly (no saga), then `commands` on it."""
    order_id = f"audit-{uuid.uuid4().hex[:10]}"
    body = world.order((0, 1)) | {"order_id": order_id}
    orders = audited.p.orders.url
    assert (await audited.stack.http.post(f"{orders}/orders", json=body)).status_code == 201
    for command in commands:
        response = await audited.stack.http.post(f"{orders}/orders/{order_id}/{command}")
        assert response.status_code == 200, response.text
    return order_id


async def post(audited: AuditedStack, url: str, body: Json) -> None:
    response = await audited.stack.http.post(url, json=body)
    assert response.status_code == 201, response.text


async def test_an_order_approved_directly_has_neither_ticket_nor_authorization(
    audited: AuditedStack,
) -> None:
    world = await new_world(audited.stack.http, audited.p)
    order_id = await direct_order(audited, world, "approve")
    await rules_broken_by(
        audited.api, order_id, "approved_order_has_ticket", "approved_order_is_authorized"
    )


async def test_a_rejected_order_with_a_live_ticket_and_a_charge(audited: AuditedStack) -> None:
    world = await new_world(audited.stack.http, audited.p)
    order_id = await direct_order(audited, world, "reject")
    ticket = {"order_id": order_id, "restaurant_id": world.restaurant_id}
    line = {"line_items": [{"menu_item_id": world.menu[0]["id"], "quantity": 1}]}
    await post(audited, f"{audited.p.kitchen.url}/tickets", ticket | line)
    charge = {"order_id": order_id, "consumer_id": world.consumer_id, "amount_cents": 1250}
    await post(audited, f"{audited.p.accounting.url}/authorizations", charge)
    await rules_broken_by(
        audited.api, order_id, "rejected_order_has_no_ticket", "rejected_order_is_not_charged"
    )


async def test_an_order_cancelled_directly_keeps_its_ticket_and_charge(
    audited: AuditedStack,
) -> None:
    world = await new_world(audited.stack.http, audited.p)
    order_id = await direct_order(audited, world, "approve", "cancel/begin", "cancel/confirm")
    await rules_broken_by(
        audited.api, order_id, "cancelled_order_ticket_cancelled", "cancelled_order_is_refunded"
    )


async def test_an_authorization_without_an_order_is_an_orphan(audited: AuditedStack) -> None:
    world = await new_world(audited.stack.http, audited.p)
    order_id = f"orphan-{uuid.uuid4().hex[:10]}"
    charge = {"order_id": order_id, "consumer_id": world.consumer_id, "amount_cents": 100}
    await post(audited, f"{audited.p.accounting.url}/authorizations", charge)
    await rules_broken_by(audited.api, order_id, "no_orphan_record")


async def test_credit_taken_outside_an_authorization_unbalances_the_account(
    audited: AuditedStack,
) -> None:
    world = await new_world(audited.stack.http, audited.p)
    statement = "UPDATE account SET available_cents = available_cents - 7 WHERE consumer_id = :c"
    audited.sql("accounting", statement, c=world.consumer_id)

    async def unbalanced() -> None:
        details = [v["detail"] for v in (await audit(audited.api))["violations"]]
        assert any(world.consumer_id in d and "= 7," in d for d in details), details

    await eventually_async(unbalanced, timeout=30, interval=0.2)


async def test_a_view_that_disagrees_with_the_participants(audited: AuditedStack) -> None:
    world = await new_world(audited.stack.http, audited.p)
    accepted = await place_order(audited.api, world.order((0, 1)))
    await saga_ends(audited.api, accepted["saga_id"])
    order_id = accepted["order_id"]

    async def in_view() -> None:
        view = await audited.stack.http.get(f"{audited.view.url}/orders/{order_id}")
        assert view.status_code == 200 and view.json()["state"] == "APPROVED"

    await eventually_async(in_view)
    statement = "UPDATE order_history SET total_cents = total_cents + 1 WHERE order_id = :o"
    audited.sql("order_history", statement, o=order_id)
    await rules_broken_by(audited.api, order_id, "view_matches_participants")


async def test_the_audit_answers_503_when_a_service_is_down(audited: AuditedStack) -> None:
    app = audited.stack.api.app
    down = audited.config().urls.model_copy(update={"accounting_url": "http://127.0.0.1:9"})
    app.dependency_overrides[get_audit_config] = lambda: AuditConfig(
        down, audited.config().settings
    )
    try:
        response = await audited.api.get("/audit")
    finally:
        app.dependency_overrides[get_audit_config] = audited.default_config
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "audit_unavailable"
    async with audited.stack.api_client(token=None) as anonymous:
        assert (await anonymous.get("/audit")).status_code == 401
