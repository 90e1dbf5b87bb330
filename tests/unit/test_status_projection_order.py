"""The status read model keeps the newest state it was offered: ordered by the history length it
was read at, a later run of the same id replacing an earlier one."""

from datetime import UTC, datetime, timedelta

from temporalio.client import Client

from api.sagas.projection import SagaProjection
from api.sagas.readings import Follower, Reading
from workflows.state import SagaState, SagaStatus, StepState, StepStatus

STARTED = datetime(2026, 1, 1, tzinfo=UTC)


def reading(
    seen: int, step: StepStatus, run_id: str = "run-1", started: datetime = STARTED
) -> Reading:
    state = SagaState(
        "s", "CreateOrder", SagaStatus.RUNNING, [StepState("a", "compensatable", step)], started
    )
    return Reading(state, seen, run_id)


async def followed() -> tuple[SagaProjection, Follower]:
    projection = SagaProjection(await Client.connect("127.0.0.1:1", lazy=True))
    follower = Follower("s")
    projection.followers["s"] = follower  # no tasks: only the ordering is under test
    return projection, follower


async def test_an_older_state_never_replaces_a_newer_one() -> None:
    projection, follower = await followed()
    projection._offer("s", reading(12, StepStatus.SUCCEEDED))
    kept = projection._offer("s", reading(9, StepStatus.RUNNING))
    assert kept.seen == 12 and kept.state.steps[0].status is StepStatus.SUCCEEDED
    assert follower.version == 1


async def test_the_same_state_read_again_changes_nothing_for_waiting_clients() -> None:
    projection, follower = await followed()
    projection._offer("s", reading(12, StepStatus.RUNNING))
    projection._offer("s", reading(12, StepStatus.RUNNING))
    assert follower.version == 1
    assert follower.live.is_set()  # a live step: the follower reads its attempts


async def test_a_later_run_replaces_an_earlier_one_however_short_its_history() -> None:
    projection, _ = await followed()
    projection._offer("s", reading(40, StepStatus.SUCCEEDED))
    later = reading(3, StepStatus.PENDING, "run-2", STARTED + timedelta(minutes=1))
    assert projection._offer("s", later) is later
    earlier_again = reading(41, StepStatus.SUCCEEDED)
    assert projection._offer("s", earlier_again) is later
