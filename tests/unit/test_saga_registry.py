"""The saga registry: versions per type, the generated workflow classes, the activities the
worker registers, and the per-type options table."""

from dataclasses import replace

import httpx
import pytest
from temporalio import workflow

import workflows.base
from activities.config import ParticipantUrls
from activities.registry import saga_activities
from api.config import SagaSettings
from workflows.base import Registry, SagaType
from workflows.create_order import CREATE_ORDER, CreateOrderInput
from workflows.definition import retriable
from workflows.registry import SAGAS

V2 = replace(
    CREATE_ORDER,
    steps=(*CREATE_ORDER.steps, retriable("recheck", "consumers.recheck_consumer")),
    version=2,
)


def test_a_saga_is_looked_up_by_type_and_version() -> None:
    registry = Registry(SagaType((CREATE_ORDER, V2), CreateOrderInput))
    assert registry.definition("CreateOrder", 1) is CREATE_ORDER
    assert registry.definition("CreateOrder", 2) is V2
    assert registry.definition("CreateOrder", 3) is None
    assert registry.definition("Unknown") is None
    assert registry.newest == {"CreateOrder": V2}
    assert "consumers.recheck_consumer" in registry.activity_names(), "every version's"


@pytest.mark.parametrize(
    "versions",
    [
        (),
        (V2, CREATE_ORDER),
        (CREATE_ORDER, CREATE_ORDER),
        (CREATE_ORDER, replace(V2, saga_type="X")),
    ],
    ids=["none", "decreasing", "repeated", "two types"],
)
def test_versions_must_increase_within_one_type(versions: tuple[object, ...]) -> None:
    with pytest.raises(ValueError):
        SagaType(versions, CreateOrderInput)  # type: ignore[arg-type]


def test_one_entry_per_saga_type() -> None:
    with pytest.raises(ValueError):
        Registry(SagaType((CREATE_ORDER,), CreateOrderInput), SagaType((V2,), CreateOrderInput))


def test_the_generated_class_keeps_the_type_name_and_input() -> None:
    cls = SAGAS.types["CreateOrder"].workflow
    definition = workflow._Definition.must_from_class(cls)
    assert (definition.name, definition.arg_types) == ("CreateOrder", [CreateOrderInput])
    assert getattr(workflows.base, cls.__name__) is cls, "the sandbox imports it by name"


async def test_the_worker_gets_exactly_the_activities_the_definitions_name() -> None:
    async with httpx.AsyncClient() as http:
        found = saga_activities(http, ParticipantUrls())
        names = {fn.__temporal_activity_definition.name for fn in found}  # type: ignore[attr-defined]
        assert names == SAGAS.activity_names()
        with pytest.raises(LookupError, match=r"kitchen\.bake_cake"):
            saga_activities(http, ParticipantUrls(), {"kitchen.bake_cake"})


def test_options_per_saga_type_come_from_one_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAGA_TYPES", '{"ReviseOrder": {"deadline_seconds": 9}}')
    monkeypatch.setenv("SAGA_CREATE_ORDER_DEADLINE_SECONDS", "7")  # the former name still works
    monkeypatch.setenv("SAGA_REVISE_ORDER_DEADLINE_SECONDS", "8")  # the table wins over it
    settings = SagaSettings(_env_file=None)
    deadlines = {
        t: settings.options_for(t).deadline_seconds for t in ("CreateOrder", "ReviseOrder")
    }
    assert deadlines == {"CreateOrder": 7, "ReviseOrder": 9}
    assert settings.options_for("ShipParcel").deadline_seconds == 300, "defaults when not listed"


def test_saga_ids_take_the_type_name_unless_the_entry_says_otherwise() -> None:
    registry = Registry(
        SagaType((replace(CREATE_ORDER, saga_type="ShipParcel"),), CreateOrderInput)
    )
    assert registry.saga_id_pattern() == "^(ship-parcel-[A-Za-z0-9_-]{1,64})$"
    assert SAGAS.types["ReviseOrder"].saga_id.endswith("-[0-9]{1,10}")
