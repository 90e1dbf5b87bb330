"""Saga definitions are data: validated when built, introspectable afterwards."""

import pytest

from workflows.cancel_order import CANCEL_ORDER
from workflows.create_order import CREATE_ORDER, CREATE_ORDER_V2
from workflows.definition import (
    InvalidSagaDefinition,
    SagaDefinition,
    Step,
    StepKind,
    compensatable,
    pivot,
    retriable,
    saga,
)
from workflows.registry import DEFINITIONS
from workflows.revise_order import REVISE_ORDER

CREATE = compensatable("create", "svc.create", compensation="svc.reject")
CHECK = compensatable("check", "svc.check")
DECIDE = pivot("decide", "svc.decide")
FINISH = retriable("finish", "svc.finish")


def test_create_order_reads_like_the_design_table() -> None:
    rows = [(s.name, s.action, s.compensation, s.kind) for s in CREATE_ORDER.steps]
    assert rows == [
        ("create_order", "orders.create_order", "orders.reject_order", StepKind.COMPENSATABLE),
        ("verify_consumer", "consumers.verify_consumer", None, StepKind.COMPENSATABLE),
        ("create_ticket", "kitchen.create_ticket", "kitchen.reject_ticket", StepKind.COMPENSATABLE),
        ("authorize_card", "accounting.authorize_card", None, StepKind.PIVOT),
        ("approve_ticket", "kitchen.approve_ticket", None, StepKind.RETRIABLE),
        ("approve_order", "orders.approve_order", None, StepKind.RETRIABLE),
    ]
    assert CREATE_ORDER.pivot_index == 3


def test_cancel_order_reads_like_the_design_table() -> None:
    rows = [(s.name, s.compensation, s.kind) for s in CANCEL_ORDER.steps]
    assert rows == [
        ("begin_cancel", "orders.undo_cancel", StepKind.COMPENSATABLE),
        ("begin_cancel_ticket", "kitchen.undo_cancel_ticket", StepKind.COMPENSATABLE),
        ("reverse_authorization", None, StepKind.PIVOT),
        ("confirm_cancel_ticket", None, StepKind.RETRIABLE),
        ("confirm_cancel", None, StepKind.RETRIABLE),
    ]
    assert CANCEL_ORDER.pivot_index == 2


def test_revise_order_reads_like_the_design_table() -> None:
    rows = [(s.name, s.action, s.compensation, s.kind) for s in REVISE_ORDER.steps]
    assert rows == [
        ("begin_revise", "orders.begin_revise", "orders.undo_revise", StepKind.COMPENSATABLE),
        (
            "begin_revise_ticket",
            "kitchen.begin_revise_ticket",
            "kitchen.undo_revise_ticket",
            StepKind.COMPENSATABLE,
        ),
        ("revise_authorization", "accounting.revise_authorization", None, StepKind.PIVOT),
        ("confirm_revise_ticket", "kitchen.confirm_revise_ticket", None, StepKind.RETRIABLE),
        ("confirm_revise", "orders.confirm_revise", None, StepKind.RETRIABLE),
    ]
    assert REVISE_ORDER.pivot_index == 2


def test_the_registry_knows_every_saga_by_its_type() -> None:
    assert DEFINITIONS == {
        "CreateOrder": CREATE_ORDER_V2,
        "CancelOrder": CANCEL_ORDER,
        "ReviseOrder": REVISE_ORDER,
    }


def test_activity_names_are_service_dot_action() -> None:
    for definition in DEFINITIONS.values():
        for step in definition.steps:
            for name in filter(None, (step.action, step.compensation)):
                service, _, action = name.partition(".")
                assert service in {"orders", "consumers", "kitchen", "accounting"}, name
                assert action, name


def test_a_step_is_found_by_name() -> None:
    definition = saga("S", CREATE, DECIDE, FINISH)
    assert definition.step("decide") is DECIDE
    with pytest.raises(StopIteration):
        definition.step("missing")


@pytest.mark.parametrize(
    "steps",
    [
        (CREATE, CHECK, DECIDE, FINISH),
        (CREATE, CHECK),  # no pivot: every step can be undone
        (DECIDE, FINISH),  # the pivot first
        (CREATE, DECIDE),  # nothing after the pivot
        (DECIDE,),
    ],
    ids=["full", "no pivot", "pivot first", "pivot last", "pivot only"],
)
def test_valid_definitions_are_accepted(steps: tuple[Step, ...]) -> None:
    definition = saga("Valid", *steps)
    assert definition.steps == steps


def test_without_a_pivot_there_is_no_pivot_index() -> None:
    assert saga("S", CREATE, CHECK).pivot_index is None


INVALID = {
    "no steps": ((), "at least one step"),
    "duplicate step names": ((CREATE, CREATE, DECIDE), "unique"),
    "two pivots": ((CREATE, DECIDE, pivot("again", "svc.again")), "at most one pivot"),
    "retriable before the pivot": ((CREATE, FINISH, DECIDE), "after the pivot"),
    "retriable without a pivot": ((CREATE, FINISH), "after the pivot"),
    "compensatable after the pivot": ((DECIDE, CREATE), "before the pivot"),
    "pivot with a compensation": (
        (CREATE, Step("decide", "svc.decide", "svc.undo", StepKind.PIVOT)),
        "only compensatable steps",
    ),
    "retriable with a compensation": (
        (DECIDE, Step("finish", "svc.finish", "svc.undo", StepKind.RETRIABLE)),
        "only compensatable steps",
    ),
}


@pytest.mark.parametrize(("steps", "reason"), INVALID.values(), ids=INVALID.keys())
def test_invalid_definitions_are_refused_when_built(steps: tuple[Step, ...], reason: str) -> None:
    with pytest.raises(InvalidSagaDefinition, match=reason):
        saga("Broken", *steps)


def test_the_error_names_the_saga_and_the_step() -> None:
    with pytest.raises(InvalidSagaDefinition, match=r"Broken\.finish"):
        saga("Broken", CREATE, FINISH, DECIDE)


def test_a_definition_is_validated_however_it_is_built() -> None:
    with pytest.raises(InvalidSagaDefinition):
        SagaDefinition("Direct", (DECIDE, DECIDE))
