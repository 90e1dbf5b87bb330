"""Dependencies: the process-wide Temporal client and HTTP client, settings, and the caller."""

import hmac
from typing import Annotated

import httpx
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from temporalio.client import Client

from api.config import ApiSettings, SagaSettings
from api.sagas.projection import SagaProjection
from api.sagas.starter import SagaStarter
from http_contract.errors import DomainError
from temporal_client.connection import TemporalSettings

bearer = HTTPBearer(auto_error=False)


class Unauthorized(DomainError):
    status = 401


async def get_temporal(request: Request) -> Client:
    client: Client = request.app.state.temporal
    return client


async def get_http(request: Request) -> httpx.AsyncClient:
    http: httpx.AsyncClient = request.app.state.http
    return http


async def get_settings(request: Request) -> ApiSettings:
    settings: ApiSettings = request.app.state.settings
    return settings


async def get_starter(request: Request) -> SagaStarter:
    state = request.app.state
    sagas: SagaSettings = state.saga_settings
    return SagaStarter(state.temporal, sagas, state.temporal_settings.task_queue, state.projection)


async def get_projection(request: Request) -> SagaProjection:
    projection: SagaProjection = request.app.state.projection
    return projection


async def get_temporal_settings(request: Request) -> TemporalSettings:
    settings: TemporalSettings = request.app.state.temporal_settings
    return settings


async def authenticate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str:
    """The name of the token the caller presented; 401 without a valid one."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("unauthorized", "a bearer token is required")
    presented = credentials.credentials.encode()
    for name, token in request.app.state.tokens.items():
        if hmac.compare_digest(presented, token.encode()):
            return str(name)
    raise Unauthorized("unauthorized", "the bearer token is not valid")


TemporalDep = Annotated[Client, Depends(get_temporal)]
HttpDep = Annotated[httpx.AsyncClient, Depends(get_http)]
SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
StarterDep = Annotated[SagaStarter, Depends(get_starter)]
ProjectionDep = Annotated[SagaProjection, Depends(get_projection)]
TemporalSettingsDep = Annotated[TemporalSettings, Depends(get_temporal_settings)]
Caller = Annotated[str, Depends(authenticate)]
