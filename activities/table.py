"""Saga activities declared as data: per participant, a table of POSTs it receives.

Each row names the activity, its path template (formatted with the input's fields), the typed
input it takes (activities/inputs.py) and the fields of its body (`saga_id` is the call's). The
activity callables are generated from the rows, bound to one `Participant`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from temporalio import activity

from activities.inputs import OrderRef
from activities.participant import Participant
from workflows.state import StepCall, StepOutcome

Activity = Callable[..., Any]


@dataclass(frozen=True)
class Post:
    """One activity: a POST to `path`; no body when `body` names no field."""

    name: str
    path: str
    takes: type = OrderRef
    body: tuple[str, ...] = ()

    def request(self, call: StepCall) -> tuple[str, dict[str, Any] | None]:
        """The path and body this activity sends for `call`."""
        values = vars(call.take(self.takes)) | {"saga_id": call.saga_id}
        body = {field: values[field] for field in self.body}
        return self.path.format(**values), body or None


@dataclass(frozen=True)
class ParticipantActivities:
    """A participant's activities; their names start with `participant` (`orders.approve_order`)."""

    participant: str
    posts: tuple[Post, ...]

    def bind(self, participant: Participant) -> dict[str, Activity]:
        """Activity name → its callable, sending to `participant`."""
        return {
            f"{self.participant}.{post.name}": _activity(self.participant, post, participant)
            for post in self.posts
        }


def _activity(prefix: str, post: Post, participant: Participant) -> Activity:
    async def run(call: StepCall) -> StepOutcome:
        path, body = post.request(call)
        return await participant.post(path, call, body)

    run.__name__ = run.__qualname__ = post.name
    return activity.defn(name=f"{prefix}.{post.name}")(run)
