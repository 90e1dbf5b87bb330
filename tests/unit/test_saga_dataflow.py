"""Declared data flow and groups: checked when the definition is built, used to build inputs."""

from dataclasses import fields
from typing import Any

import pytest

from api.routes.saga_types import _described
from workflows.cancel_order import CANCEL_ORDER, CancelOrderInput
from workflows.create_order import CREATE_ORDER, CREATE_ORDER_V2, CreateOrderInput
from workflows.dataflow import Take, kept, parse_takes, step_input
from workflows.definition import (
    InvalidSagaDefinition,
    Step,
    compensatable,
    group,
    pivot,
    retriable,
    saga,
)
from workflows.diagram import flowchart
from workflows.registry import DEFINITIONS
from workflows.revise_order import REVISE_ORDER, ReviseOrderInput

OPEN = compensatable("open", "svc.open", "svc.close", takes="order_id", gives="total_cents token")
CHECK = compensatable("check", "svc.check", takes="order_id open.total_cents")
HOLD = compensatable("hold", "svc.hold", "svc.release", takes="order_id")
DECIDE = pivot("decide", "svc.decide", takes="order_id amount_cents=open.total_cents")
FINISH = retriable("finish", "svc.finish", takes="order_id")


def test_a_take_names_its_source_and_may_rename_it() -> None:
    assert parse_takes("order_id amount_cents=open.total_cents a.b.c") == (
        Take("order_id", None, ("order_id",)),
        Take("amount_cents", "open", ("total_cents",)),
        Take("c", "a", ("b", "c")),
    )


@pytest.mark.parametrize("text", ["a..b", "x=", "1a", "a=b c=d a=e", "a-b"])
def test_malformed_takes_are_refused(text: str) -> None:
    with pytest.raises(InvalidSagaDefinition):
        parse_takes(text)


def test_an_activity_input_holds_only_what_the_step_takes() -> None:
    saga_input = {"order_id": "o1", "consumer_id": "c1", "line_items": []}
    results = {"begin_revise": {"pending_revision": {"total_cents": 900}}}
    takes = REVISE_ORDER.step("revise_authorization").takes
    assert step_input(takes, saga_input, results) == {"order_id": "o1", "amount_cents": 900}
    assert kept(("total_cents",), {"total_cents": 5, "line_items": [1, 2]}) == {"total_cents": 5}


def test_a_declared_value_the_saga_lacks_is_an_error_that_names_it() -> None:
    with pytest.raises(InvalidSagaDefinition, match="total_cents"):
        step_input(DECIDE.takes, {"order_id": "o1"}, {"open": {}})


def test_the_services_sagas_declare_their_data_flow() -> None:
    for definition in DEFINITIONS.values():
        assert "order_id" in definition.inputs
        assert all(step.takes for step in definition.steps), definition.saga_type
    pivot_takes = [str(take) for take in CREATE_ORDER.step("authorize_card").takes]
    assert pivot_takes == ["order_id", "consumer_id", "amount_cents=create_order.total_cents"]


@pytest.mark.parametrize(
    ("definition", "input_type"),
    [(CREATE_ORDER, CreateOrderInput), (CANCEL_ORDER, CancelOrderInput), (REVISE_ORDER, ReviseOrderInput)],
)  # fmt: skip
def test_the_declared_inputs_are_fields_of_the_saga_input(definition: Any, input_type: Any) -> None:
    assert set(definition.inputs) <= {f.name for f in fields(input_type)}


INVALID = {
    "unknown input field": ((compensatable("a", "s.a", takes="nope"),), "no field 'nope'"),
    "a later step": ((CHECK, OPEN), "not a step of an earlier stage"),
    "a value not given": ((OPEN, compensatable("b", "s.b", takes="open.secret")), "gives no"),
    "a member of its own group": ((OPEN, group(HOLD, compensatable("c", "s.c", takes="hold.x"))), "earlier stage"),
    "a pivot in a group": ((OPEN, group(HOLD, DECIDE)), "only compensatable steps run in a group"),
    "a retriable step in a group": ((OPEN, DECIDE, group(FINISH, retriable("f2", "s.f2"))), "in a group"),
    "a group of one": ((OPEN, group(HOLD)), "two steps or more"),
    "two groups of one name": ((group(OPEN, HOLD, name="g"), group(CHECK, compensatable("x", "s.x"), name="g")), "unique"),
}  # fmt: skip


@pytest.mark.parametrize(("items", "reason"), INVALID.values(), ids=INVALID.keys())
def test_a_wrong_data_flow_or_group_is_refused_when_built(
    items: tuple[Step, ...], reason: str
) -> None:
    with pytest.raises(InvalidSagaDefinition, match=reason):
        saga("Broken", *items, inputs="order_id")


def test_a_group_is_one_stage_whose_steps_carry_its_name() -> None:
    definition = saga("S", OPEN, group(CHECK, HOLD), DECIDE, FINISH, inputs="order_id")
    assert [[s.name for s in stage] for stage in definition.stages] == [
        ["open"],
        ["check", "hold"],
        ["decide"],
        ["finish"],
    ]
    assert [s.group for s in definition.steps] == [None, "check+hold", "check+hold", None, None]


def test_create_order_v2_differs_from_v1_only_in_its_group() -> None:
    assert CREATE_ORDER_V2.version == 2 and CREATE_ORDER.version == 1
    assert [s.group for s in CREATE_ORDER_V2.steps] == [
        None,
        *["verify_consumer+create_ticket"] * 2,
        None,
        None,
        None,
    ]
    same = [(s.name, s.action, s.compensation, s.kind, s.takes) for s in CREATE_ORDER.steps]
    assert [
        (s.name, s.action, s.compensation, s.kind, s.takes) for s in CREATE_ORDER_V2.steps
    ] == same
    assert DEFINITIONS["CreateOrder"] is CREATE_ORDER_V2  # new sagas take it; v1's finish on v1


def test_saga_types_and_diagrams_show_the_group() -> None:
    described = _described(CREATE_ORDER_V2)
    assert [s.group for s in described.steps][1:3] == ["verify_consumer+create_ticket"] * 2
    chart = flowchart(CREATE_ORDER_V2)
    assert 'subgraph group_1 ["verify_consumer+create_ticket"]' in chart
    for edge in (
        "create_order --> verify_consumer",
        "create_order --> create_ticket",
        "verify_consumer --> authorize_card",
        "create_ticket --> authorize_card",
    ):
        assert edge in chart
    assert "verify_consumer --> create_ticket" not in chart
    assert "subgraph" not in flowchart(CREATE_ORDER)
