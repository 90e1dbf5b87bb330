"""The saga definitions this service runs, as data and as Mermaid diagrams."""

from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel

from api.deps import Caller, TemporalDep
from api.sagas import saga_with_definition
from api.schemas import SagaId
from http_contract.errors import NotFound
from workflows.definition import SagaDefinition
from workflows.diagram import MEDIA_TYPE, flowchart
from workflows.registry import DEFINITIONS

router = APIRouter(tags=["saga types"])
SagaTypeName = Annotated[str, Path(pattern=r"^[A-Za-z][A-Za-z0-9]{0,63}$")]


class StepTypeOut(BaseModel):
    name: str
    kind: str
    action: str
    compensation: str | None
    group: str | None = None


class SagaTypeOut(BaseModel):
    saga_type: str
    version: int
    steps: list[StepTypeOut]


class SagaTypes(BaseModel):
    saga_types: list[SagaTypeOut]


def _described(definition: SagaDefinition) -> SagaTypeOut:
    steps = [
        StepTypeOut(
            name=s.name,
            kind=s.kind.value,
            action=s.action,
            compensation=s.compensation,
            group=s.group,
        )
        for s in definition.steps
    ]
    return SagaTypeOut(saga_type=definition.saga_type, version=definition.version, steps=steps)


def _definition(saga_type: str) -> SagaDefinition:
    if saga_type not in DEFINITIONS:
        raise NotFound("saga_type_not_found", f"no saga type {saga_type!r}")
    return DEFINITIONS[saga_type]


def _mermaid(text: str) -> Response:
    return Response(text, media_type=MEDIA_TYPE)


@router.get("/saga-types", response_model=SagaTypes)
async def saga_types(_: Caller) -> SagaTypes:
    return SagaTypes(saga_types=[_described(d) for d in DEFINITIONS.values()])


@router.get("/saga-types/{saga_type}/diagram", response_class=Response)
async def saga_type_diagram(saga_type: SagaTypeName, _: Caller) -> Response:
    return _mermaid(flowchart(_definition(saga_type)))


@router.get("/sagas/{saga_id}/diagram", response_class=Response)
async def saga_diagram(saga_id: SagaId, _: Caller, temporal: TemporalDep) -> Response:
    # drawn from the definition version the saga runs, which may be older than the newest
    state, definition = await saga_with_definition(temporal, saga_id)
    statuses = {step.name: step.status.value for step in state.steps}
    return _mermaid(flowchart(definition, statuses))
