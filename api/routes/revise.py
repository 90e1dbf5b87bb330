"""Revise Order: start the saga that changes an approved order's line items."""

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from api.deps import Caller, HttpDep, SettingsDep, StarterDep
from api.proxy import fetch_order
from api.sagas.start import REQUEST_HASH, Started, request_hash
from api.sagas.temporal import temporal_errors
from api.schemas import LineItemIn, OrderAccepted, PathId
from http_contract.errors import Conflict, DomainError
from http_contract.header_params import IdempotencyKey
from workflows.create_order import LineItem
from workflows.engine import SAGA_STATUS
from workflows.revise_order import REVISE_ORDER, ReviseOrderInput, revise_order_saga_id
from workflows.state import CLOSED_STATUSES, SagaStatus

router = APIRouter(prefix="/orders", tags=["orders"])


class ReviseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line_items: list[LineItemIn] = Field(min_length=1, max_length=50)


@router.post("/{order_id}/revise", status_code=202, response_model=OrderAccepted)
async def revise_order(
    order_id: PathId,
    body: ReviseRequest,
    _: Caller,
    http: HttpDep,
    settings: SettingsDep,
    starter: StarterDep,
    key: IdempotencyKey = None,
) -> OrderAccepted:
    """One revision at a time: its saga id numbers the revision the order will have."""
    order = await fetch_order(http, settings.orders_url, order_id)
    temporal = starter.temporal
    revision = int(order["revision"]) + 1
    fingerprint = _fingerprint(key, body) if key else None
    if fingerprint and (repeat := await _repeat(temporal, order_id, revision, fingerprint)):
        return OrderAccepted(order_id=order_id, saga_id=repeat.saga_id, status=repeat.status)
    if order["state"] != "APPROVED":
        raise not_revisable(order_id, f"it is {order['state']}")
    saga_id = revise_order_saga_id(order_id, revision)
    attempt = await starter.next_attempt(saga_id)  # the next one after a compensated attempt
    saga_input = ReviseOrderInput(
        order_id,
        [LineItem(item.menu_item_id, item.quantity) for item in body.line_items],
        starter.options(REVISE_ORDER.saga_type),
        attempt,
    )
    try:
        started = await starter.start(
            REVISE_ORDER.saga_type, saga_input, saga_id, fingerprint, attempt
        )
    except DomainError as error:  # another request started this revision first
        raise await _taken(temporal, order_id, saga_id) from error
    return OrderAccepted(order_id=order_id, saga_id=started.saga_id, status=started.status)


def not_revisable(order_id: str, reason: str) -> Conflict:
    return Conflict("order_not_revisable", f"order {order_id} cannot be revised: {reason}")


def _fingerprint(key: str, body: ReviseRequest) -> str:
    """The key's hash, then the body's: a repeat matches both, a reused key only the first."""
    return f"{request_hash(key)}:{request_hash(body.model_dump(mode='json'))}"


async def _repeat(client: Client, order_id: str, revision: int, fingerprint: str) -> Started | None:
    """The saga this very request started before: the pending revision, or the latest one
    confirmed (the order's counter has moved on since)."""
    for number in (revision, revision - 1):
        found = await _saga(client, revise_order_saga_id(order_id, number)) if number else None
        stored = str(found[1].get(REQUEST_HASH, "")) if found else ""
        if found is not None and stored == fingerprint:
            return found[0]
        if stored.split(":")[0] == fingerprint.split(":")[0]:
            raise DomainError(
                "idempotency_key_reused", "this Idempotency-Key was used with another request body"
            )
    return None


async def _taken(client: Client, order_id: str, saga_id: str) -> Conflict:
    found = await _saga(client, saga_id)
    status = found[0].status if found else SagaStatus.RUNNING.value
    if status not in CLOSED_STATUSES:
        return not_revisable(order_id, f"revision {saga_id} is in progress")
    # A revision that ended for good (FAILED) is not started again under its id: its outcome
    # is for an operator to look at. A compensated one is tried again as a new attempt.
    return Conflict(
        "revision_already_attempted", f"saga {saga_id} already tried this revision: {status}"
    )


async def _saga(client: Client, saga_id: str) -> tuple[Started, Mapping[str, Any]] | None:
    """The saga's published status and its memo; None when there is no such saga."""
    try:
        description = await client.get_workflow_handle(saga_id).describe()
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return None
        raise
    status = description.typed_search_attributes.get(SAGA_STATUS) or SagaStatus.RUNNING.value
    with temporal_errors():
        memo = await description.memo()
    return Started(saga_id, status, duplicate=True), memo
