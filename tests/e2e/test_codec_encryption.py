"""Sagas with payload encryption on: Temporal stores only ciphertext, the API still reports the
saga, and the codec endpoint decodes a stored payload for a caller with the token only."""

import base64
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.api.common.v1 import Payload, WorkflowExecution
from temporalio.api.sdk.v1 import WorkflowMetadata
from temporalio.api.workflowservice.v1 import DeleteWorkflowExecutionRequest
from temporalio.client import Client

from temporal_client.codec import ENCODING
from tests.support.participants import assert_error
from tests.support.sagas import place_order, saga_ends
from tests.support.seed import World, new_world
from tests.support.stack import AUTH, Stack, running_stack

ENCRYPTION = {
    "encrypt_payloads": True,
    "encryption_keys": {"2026-11": base64.b64encode(os.urandom(32)).decode()},
    "encryption_key_id": "2026-11",
}


@pytest.fixture(scope="module")
async def encrypted_stack(
    temporal_client: Client, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    data: Path = tmp_path_factory.mktemp("encrypted")
    async with running_stack(
        temporal_client, lambda name: f"sqlite:///{data / name}.db", temporal_options=ENCRYPTION
    ) as running:
        yield running
        # Its sagas stay unreadable to every other test's API (they have no key): remove them.
        query = f"TaskQueue = '{running.task_queue}'"
        async for execution in temporal_client.list_workflows(query):
            await temporal_client.workflow_service.delete_workflow_execution(
                DeleteWorkflowExecutionRequest(
                    namespace=temporal_client.namespace,
                    workflow_execution=WorkflowExecution(workflow_id=execution.id),
                )
            )


async def stored_history(plain_client: Client, saga_id: str) -> list[bytes]:
    """Every event of the saga as Temporal stores it, read by a client without the codec."""
    history = await plain_client.get_workflow_handle(saga_id).fetch_history()
    return [event.SerializeToString() for event in history.events]


async def started_input(plain_client: Client, saga_id: str) -> Payload:
    history = await plain_client.get_workflow_handle(saga_id).fetch_history()
    attributes = history.events[0].workflow_execution_started_event_attributes
    payload: Payload = attributes.input.payloads[0]
    return payload


async def one_item_saga(stack: Stack) -> tuple[World, str]:
    """A Create Order saga of one item run to its end: the world it ran in and its id."""
    world = await new_world(stack.http, stack.participants)
    async with stack.api_client() as api:
        accepted = await place_order(api, world.order((0, 1)))
        await saga_ends(api, accepted["saga_id"])
    return world, str(accepted["saga_id"])


def private_values(world: World, *more: str) -> list[bytes]:
    return [value.encode() for value in (world.consumer_id, *(i["id"] for i in world.menu), *more)]


async def test_a_completed_saga_leaves_no_plaintext_in_temporal(
    encrypted_stack: Stack, temporal_client: Client
) -> None:
    world = await new_world(encrypted_stack.http, encrypted_stack.participants)
    async with encrypted_stack.api_client() as api:
        accepted = await place_order(api, world.order((0, 2), (1, 1)))
        saga = await saga_ends(api, accepted["saga_id"])
    assert saga["status"] == "COMPLETED"
    events = await stored_history(temporal_client, accepted["saga_id"])
    assert any(ENCODING in event for event in events)
    for value in private_values(world):
        assert not [event for event in events if value in event], value


async def test_a_rejection_keeps_its_error_message_encrypted(
    encrypted_stack: Stack, temporal_client: Client
) -> None:
    world = await new_world(encrypted_stack.http, encrypted_stack.participants)
    unknown_item = f"secret-item-{uuid.uuid4().hex[:8]}"
    body = world.order((0, 1)) | {"line_items": [{"menu_item_id": unknown_item, "quantity": 1}]}
    async with encrypted_stack.api_client() as api:
        accepted = await place_order(api, body)
        saga = await saga_ends(api, accepted["saga_id"])
    assert (saga["status"], saga["error"]["code"]) == ("COMPENSATED", "unknown_menu_item")
    events = await stored_history(temporal_client, accepted["saga_id"])
    for value in private_values(world, unknown_item):
        assert not [event for event in events if value in event], value


async def test_the_codec_endpoint_decodes_stored_payloads_with_the_token_only(
    encrypted_stack: Stack, temporal_client: Client
) -> None:
    world, saga_id = await one_item_saga(encrypted_stack)
    stored = await started_input(temporal_client, saga_id)
    body = {
        "payloads": [
            {
                "metadata": {k: base64.b64encode(v).decode() for k, v in stored.metadata.items()},
                "data": base64.b64encode(stored.data).decode(),
            }
        ]
    }
    async with encrypted_stack.api_client(token=None) as anonymous:
        refused = await anonymous.post("/codec/decode", json=body)
        decoded = await anonymous.post("/codec/decode", json=body, headers=AUTH)
    assert refused.status_code == 401
    assert decoded.status_code == 200, decoded.text
    [payload] = decoded.json()["payloads"]
    assert world.consumer_id.encode() in base64.b64decode(payload["data"])


async def test_the_web_ui_metadata_is_encrypted_and_decodes_with_the_codec(
    encrypted_stack: Stack, temporal_client: Client
) -> None:
    world, saga_id = await one_item_saga(encrypted_stack)
    stored = await temporal_client.get_workflow_handle(saga_id).describe()
    metadata = stored.raw_description.execution_config.user_metadata
    assert (metadata.summary.metadata["encoding"], metadata.details.metadata["encoding"]) == (
        ENCODING,
        ENCODING,
    )
    handle = encrypted_stack.client.get_workflow_handle(saga_id)
    decoded = await handle.describe()
    assert (await decoded.static_summary() or "").startswith("CreateOrder · order ")
    assert world.consumer_id in (await decoded.static_details() or "")
    metadata = await handle.query("__temporal_workflow_metadata", result_type=WorkflowMetadata)
    assert metadata.current_details.startswith("**CreateOrder** saga: **COMPLETED**")


async def test_an_api_without_the_key_answers_503_not_500(
    encrypted_stack: Stack, stack: Stack
) -> None:
    _, saga_id = await one_item_saga(encrypted_stack)
    async with stack.api_client() as plain_api:
        response = await plain_api.get(f"/sagas/{saga_id}")
    assert_error(response, 503, "payload_undecodable")
