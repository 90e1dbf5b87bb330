"""Where one saga's time goes, from its workflow history: the time between consecutive events,
charged to the later event — a workflow task waiting for a worker ("workflow task dispatch"),
the workflow task from pick-up to its completion being stored ("workflow task": the worker, the
network and the server's write), an activity from scheduling to completion ("activity") — plus
what only the client sees (the start call and delivering the result)."""

import statistics
from collections import defaultdict
from collections.abc import Sequence

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from bench.load import Sample

# The server writes an activity's started event when the activity ends, stamped with the time
# it was scheduled; so its queueing shows up in "activity" with its run.
PARTS = {
    EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED: "workflow task dispatch",
    EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED: "workflow task",
    EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: "activity",
    EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: "activity",
}
COLUMNS = ["total", "client", *dict.fromkeys(PARTS.values()), "other server"]


async def saga_parts(client: Client, sample: Sample) -> dict[str, float]:
    """Milliseconds per part for one saga."""
    history = await client.get_workflow_handle(sample.workflow_id).fetch_history()
    times = [event.event_time.ToDatetime() for event in history.events]
    parts: dict[str, float] = defaultdict(float)
    for event, before, at in zip(history.events[1:], times, times[1:], strict=False):
        parts[PARTS.get(event.event_type, "other server")] += (at - before).total_seconds() * 1000
    parts["total"] = sample.latency * 1000
    parts["client"] = parts["total"] - (times[-1] - times[0]).total_seconds() * 1000
    return parts


async def breakdown(client: Client, samples: Sequence[Sample]) -> dict[str, float]:
    """The median of each part over the given sagas."""
    measured = [await saga_parts(client, s) for s in samples if s.ok and s.workflow_id]
    if not measured:
        return {}
    return {name: statistics.median(p.get(name, 0.0) for p in measured) for name in COLUMNS}


def breakdown_table(rows: dict[str, dict[str, float]]) -> str:
    head = ["arm (c1, ms per saga, medians)", *COLUMNS]
    lines = [head, ["---"] * len(head)]
    for arm, parts in rows.items():
        lines.append([arm, *(f"{parts.get(name, 0.0):.0f}" for name in COLUMNS)])
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)
