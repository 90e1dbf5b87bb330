"""The Web UI's current details of a saga: status, pivot, step table, operator actions."""

from datetime import UTC, datetime

from workflows.create_order import CREATE_ORDER
from workflows.details import LINE_LIMIT, current_details
from workflows.state import ErrorInfo, OperatorAction, SagaState, SagaStatus, StepState, StepStatus

STARTED = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def create_order(*statuses: StepStatus) -> SagaState:
    """A Create Order saga whose first steps have `statuses`, the rest PENDING."""
    steps = [
        StepState(step.name, step.kind.value, compensation=step.compensation)
        for step in CREATE_ORDER.steps
    ]
    for step, status in zip(steps, statuses, strict=False):
        step.status, step.attempts = status, 1
    return SagaState("create-order-1", "CreateOrder", SagaStatus.RUNNING, steps, STARTED)


def rows(details: str) -> list[list[str]]:
    """The step table's body, cell by cell, without the code spans' backticks."""
    lines = [line for line in details.splitlines() if line.startswith("| ")][2:]
    return [[cell.strip().strip("`") for cell in line.strip("|").split(" | ")] for line in lines]


def test_a_compensated_saga_shows_every_step_and_its_compensation() -> None:
    state = create_order(
        StepStatus.COMPENSATED, StepStatus.SUCCEEDED, StepStatus.COMPENSATED, StepStatus.FAILED
    )
    state.steps[0].compensation_attempts = state.steps[2].compensation_attempts = 1
    state.steps[3].error = ErrorInfo("card_declined", "insufficient credit")
    state.status, state.error = SagaStatus.COMPENSATED, state.steps[3].error
    details = current_details(state)
    assert details.startswith(
        "**CreateOrder** saga: **COMPENSATED** — card_declined: insufficient credit"
    )
    assert "**Pivot** `authorize_card`: not passed" in details
    assert rows(details) == [
        ["create_order", "compensatable", "COMPENSATED", "1", "orders.reject_order", "1", ""],
        ["verify_consumer", "compensatable", "SUCCEEDED", "1", "—", "—", ""],
        ["create_ticket", "compensatable", "COMPENSATED", "1", "kitchen.reject_ticket", "1", ""],
        ["authorize_card", "pivot", "FAILED", "1", "—", "—", "card_declined"],
        ["approve_ticket", "retriable", "PENDING", "0", "—", "—", ""],
        ["approve_order", "retriable", "PENDING", "0", "—", "—", ""],
    ]
    assert details.endswith(
        "**Errors**\n\n* `authorize_card`: card_declined: insufficient credit\n\n"
        "**Operator actions**: none"
    )


def test_past_the_pivot_the_details_say_the_saga_runs_forward() -> None:
    state = create_order(*[StepStatus.SUCCEEDED] * 4, StepStatus.RUNNING)
    state.past_pivot = True
    details = current_details(state)
    assert details.startswith("**CreateOrder** saga: **RUNNING**\n")
    assert "**Pivot** `authorize_card`: passed — the saga runs forward to completion" in details
    assert rows(details)[4][:3] == ["approve_ticket", "retriable", "RUNNING"]


def test_operator_actions_are_listed_oldest_first() -> None:
    state = create_order(StepStatus.COMPENSATED, StepStatus.SUCCEEDED, StepStatus.SKIPPED)
    state.status = SagaStatus.COMPENSATING
    state.operator_actions = [
        OperatorAction("alice", STARTED, "retry", "kitchen is back", "create_ticket"),
        OperatorAction(
            "bob", STARTED.replace(minute=5), "skip", "undone\nby hand", "create_ticket"
        ),
    ]
    assert current_details(state).endswith(
        "**Operator actions**\n\n"
        "1. 2026-11-28T12:00:00+00:00 · alice · **retry** at step `create_ticket`: kitchen is back\n"
        "2. 2026-11-28T12:05:00+00:00 · bob · **skip** at step `create_ticket`: undone by hand"
    )


def test_an_error_message_stays_on_one_line_cut_to_the_limit() -> None:
    state = create_order(StepStatus.FAILED)
    state.steps[0].error = ErrorInfo("http|500", "a | b\nc " + "x" * 500)
    details = current_details(state)
    assert rows(details)[0][-1] == "http\\|500"
    message = next(line for line in details.splitlines() if line.startswith("* `create_order`"))
    assert message.startswith("* `create_order`: http|500: a | b c x")
    assert message.endswith("x…") and len(message) < 20 + LINE_LIMIT


def test_a_saga_without_a_pivot_says_so() -> None:
    step = StepState("cancel_order", "compensatable", compensation="orders.undo_cancel")
    state = SagaState("cancel-order-1", "CancelOrder", SagaStatus.RUNNING, [step], STARTED)
    assert "**Pivot**: none" in current_details(state)
