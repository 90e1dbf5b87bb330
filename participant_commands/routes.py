"""A participant's routes generated from its aggregate: create, read, and one route per row of
its state-change table."""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlmodel import Session

from participant_commands.aggregates import Aggregate, R
from participant_commands.idempotency import CommandKey
from participant_commands.state_changes import StateChange
from service_app.web import ReadSessionDep, SessionDep


@dataclass(frozen=True)
class Creation(Generic[R]):
    """`POST ""`: `201` and the record `make` builds from the body (`409 <kind>_exists` when the
    body's `id_from` field names a record that exists)."""

    body: type[BaseModel]
    make: Callable[[Session, Any], R]
    event: str
    id_from: str
    summary: str = ""


def aggregate_router(
    aggregate: Aggregate[R],
    public: type[BaseModel],
    *,
    prefix: str,
    id_param: str,
    create: Creation[R] | None = None,
) -> APIRouter:
    """`POST {prefix}` (with `create`), `GET {prefix}/{id}` and a `POST {prefix}/{id}/<path>`
    per state change; more routes may be added to the router it returns."""
    router = APIRouter(prefix=prefix, tags=[prefix.strip("/")])
    documented: dict[int | str, dict[str, Any]] = {200: {"model": public}}
    if create is not None:
        router.post("", status_code=201, responses={201: {"model": public}})(
            _create(aggregate, create)
        )
    router.get(f"/{{{id_param}}}")(_read(aggregate, public, id_param))
    for change in aggregate.changes.values():
        responses = None if change.compensates else documented
        route = _change(aggregate, change, id_param)
        router.post(f"/{{{id_param}}}/{change.path}", responses=responses)(route)
    return router


def _create(aggregate: Aggregate[R], create: Creation[R]) -> Callable[..., Any]:
    def run(command: BaseModel, session: Session, key: CommandKey) -> JSONResponse:
        record_id = getattr(command, create.id_from)
        make = lambda: create.make(session, command)  # noqa: E731
        return aggregate.create(session, key, record_id, make, create.event)

    params = {"command": create.body, "session": SessionDep, "key": CommandKey}
    return _endpoint(f"create_{aggregate.kind}", create.summary, params, JSONResponse, run)


def _read(aggregate: Aggregate[R], public: type[BaseModel], id_param: str) -> Callable[..., Any]:
    def run(session: Session, **path: str) -> BaseModel:
        return aggregate.load(session, path[id_param]).public()

    params = {id_param: str, "session": ReadSessionDep}
    return _endpoint(f"get_{aggregate.kind}", "", params, public, run)


def _change(aggregate: Aggregate[R], change: StateChange, id_param: str) -> Callable[..., Any]:
    def run(session: Session, key: CommandKey, command: Any = None, **path: str) -> JSONResponse:
        return aggregate.run_change(session, key, path[id_param], change.path, command)

    params: dict[str, Any] = {id_param: str, "session": SessionDep, "key": CommandKey}
    if change.body is not None:
        params["command"] = change.body
    name = f"{change.path.replace('/', '_')}_{aggregate.kind}"
    return _endpoint(name, change.summary, params, JSONResponse, run)


def _endpoint(
    name: str, summary: str, params: dict[str, Any], returns: Any, run: Callable[..., Any]
) -> Callable[..., Any]:
    """A function FastAPI reads like a hand-written endpoint: its parameters are `params`."""

    def endpoint(**kwargs: Any) -> Any:
        return run(**kwargs)

    endpoint.__name__ = endpoint.__qualname__ = name
    endpoint.__doc__ = summary or None
    keyword = inspect.Parameter.KEYWORD_ONLY
    signature = [inspect.Parameter(arg, keyword, annotation=kind) for arg, kind in params.items()]
    endpoint.__signature__ = inspect.Signature(signature, return_annotation=returns)  # type: ignore[attr-defined]
    return endpoint
