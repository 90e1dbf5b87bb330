"""The memo layout the saga publishes and the API reads back (pure logic, no server)."""

from datetime import UTC, datetime

from workflows.create_order import CREATE_ORDER
from workflows.publishing import SAGA_KEY, STEP_PREFIX, memo_of, state_from_memo
from workflows.state import ErrorInfo, OperatorAction, SagaState, SagaStatus, StepState, StepStatus

STARTED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def fresh() -> SagaState:
    return SagaState(
        saga_id="create-order-1",
        saga_type=CREATE_ORDER.saga_type,
        status=SagaStatus.RUNNING,
        steps=[
            StepState(s.name, s.kind.value, compensation=s.compensation) for s in CREATE_ORDER.steps
        ],
        started_at=STARTED,
    )


def test_a_published_state_reads_back_the_same() -> None:
    state = fresh()
    state.status, state.past_pivot = SagaStatus.NEEDS_ATTENTION, True
    state.error = ErrorInfo("card_declined", "no")
    state.closed_at = datetime(2026, 1, 2, 3, 5, tzinfo=UTC)
    first = state.steps[0]
    first.status, first.attempts, first.compensation_attempts = StepStatus.FAILED, 3, 2
    first.error = ErrorInfo("retries_exhausted", "gave up")
    state.operator_actions.append(OperatorAction("bob", STARTED, "retry", "fixed", "create_order"))
    assert state_from_memo(state.saga_id, CREATE_ORDER, STARTED, memo_of(state)) == state


def test_pending_steps_take_no_memo_key() -> None:
    state = fresh()
    state.steps[0].status = StepStatus.RUNNING
    assert set(memo_of(state)) == {SAGA_KEY, STEP_PREFIX + "create_order"}


def test_a_saga_that_published_nothing_yet_is_running_with_every_step_pending() -> None:
    assert state_from_memo("create-order-1", CREATE_ORDER, STARTED, {}) == fresh()
