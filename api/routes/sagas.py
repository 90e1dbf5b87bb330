"""Saga-level status, listing, cancellation and the operator's repair."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from api.deps import Caller, ProjectionDep, SettingsDep, TemporalDep, TemporalSettingsDep
from api.sagas import cancel_saga, list_sagas, resolve_saga
from api.sagas.watch import signature
from api.schemas import ResolveRequest, SagaAccepted, SagaId, SagaOut, SagaPage, SagaSummaryOut
from workflows.state import Resolution, SagaState

router = APIRouter(prefix="/sagas", tags=["sagas"])
WaitSeconds = Annotated[float, Query(ge=0, le=60, description="long poll up to this long")]


def _out(state: SagaState, ui: str, namespace: str) -> SagaOut:
    saga = SagaOut.model_validate(state)
    saga.web_ui_url = f"{ui}/namespaces/{namespace}/workflows/{state.saga_id}"
    return saga


@router.get("", response_model=SagaPage)
async def get_sagas(
    _: Caller,
    temporal: TemporalDep,
    request: Request,
    saga_type: str | None = None,
    status: str | None = None,
    page_size: Annotated[int, Query(ge=1, le=1000)] = 100,
    page_token: str | None = None,
) -> SagaPage:
    key = request.app.state.page_token_key
    sagas, token = await list_sagas(temporal, saga_type, status, page_size, page_token, key)
    return SagaPage(
        sagas=[SagaSummaryOut.model_validate(saga) for saga in sagas], next_page_token=token
    )


@router.get("/{saga_id}", response_model=SagaOut)
async def get_saga(
    saga_id: SagaId,
    _: Caller,
    projection: ProjectionDep,
    settings: SettingsDep,
    temporal_settings: TemporalSettingsDep,
    wait_seconds: WaitSeconds = 0,
) -> SagaOut:
    """With `wait_seconds`: a long poll that answers as soon as the saga is closed or needs
    attention, else after that many seconds."""
    if wait_seconds > 0:
        state = await projection.settled(saga_id, wait_seconds)
    else:
        state = await projection.read(saga_id)
    return _out(state, settings.web_ui_url, temporal_settings.namespace)


@router.get(
    "/{saga_id}/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def saga_events(
    saga_id: SagaId,
    _: Caller,
    projection: ProjectionDep,
    settings: SettingsDep,
    temporal_settings: TemporalSettingsDep,
) -> StreamingResponse:
    """Server-Sent Events: one `saga` event per change of the saga's or a step's status; the
    stream ends after a closed status."""
    stream = projection.changes(saga_id)
    first = await anext(stream)  # an unknown saga answers 404 before the stream starts

    async def events() -> AsyncIterator[str]:
        last = None
        async for state in _prepend(first, stream):
            if (now := signature(state)) != last:
                last = now
                body = _out(state, settings.web_ui_url, temporal_settings.namespace)
                yield f"event: saga\ndata: {body.model_dump_json()}\n\n"

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)


async def _prepend(first: SagaState, rest: AsyncIterator[SagaState]) -> AsyncIterator[SagaState]:
    yield first
    async for state in rest:
        yield state


@router.post("/{saga_id}/cancel", status_code=202, response_model=SagaAccepted)
async def cancel(saga_id: SagaId, _: Caller, temporal: TemporalDep) -> SagaAccepted:
    state = await cancel_saga(temporal, saga_id)
    return SagaAccepted(saga_id=saga_id, status=state.status)


@router.post("/{saga_id}/resolve", status_code=202, response_model=SagaOut)
async def resolve(
    saga_id: SagaId,
    body: ResolveRequest,
    caller: Caller,
    temporal: TemporalDep,
    settings: SettingsDep,
    temporal_settings: TemporalSettingsDep,
) -> SagaOut:
    resolution = Resolution(action=body.action, reason=body.reason, actor=caller)
    state = await resolve_saga(temporal, saga_id, resolution)
    return _out(state, settings.web_ui_url, temporal_settings.namespace)
