"""What the benchmark compares: arms (what runs a saga, where) and load shapes."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Arm:
    name: str
    workflow: str  # "engine" (CreateOrder), "hand" (hand-written), "noop" (no-op activities)
    server: str = "tuned"  # a key of SERVER_PROFILES in bench.stack
    worker: str = "run"  # a profile of bench.worker
    via_api: bool = False
    local_activities: bool = False
    publish: bool = False  # the hand-written workflow publishes the status as the engine does
    wait: str = "result"  # how the client learns the end: "result", "poll" or "long-poll"
    about: str = ""


ARMS = {
    arm.name: arm
    for arm in [
        Arm(
            "engine", "engine", about="CreateOrder saga (engine), started with the Temporal client"
        ),
        Arm(
            "hand-written", "hand", about="plain workflow, same activities, try/except compensation"
        ),
        Arm(
            "hand-published",
            "hand",
            publish=True,
            about="hand-written, publishing the status read model as the engine does",
        ),
        Arm("api", "engine", via_api=True, about="POST /orders, then the workflow result"),
        Arm(
            "api-poll",
            "engine",
            via_api=True,
            wait="poll",
            about="POST /orders, then GET /sagas/{id} every 250 ms until it ends",
        ),
        Arm(
            "api-wait",
            "engine",
            via_api=True,
            wait="long-poll",
            about="POST /orders, then GET /sagas/{id}?wait_seconds=30 until it ends",
        ),
        Arm("temporal-only", "noop", about="six no-op activities"),
        Arm(
            "default-config",
            "hand",
            server="default",
            worker="default",
            about="hand-written; SDK worker defaults; dev server on SQLite defaults",
        ),
        # Tuning arms: one knob each, compared in the same run with the arms above.
        Arm("engine-sandbox", "engine", worker="sandbox", about="sandbox with passthrough"),
        Arm("engine-nosandbox", "engine", worker="nosandbox", about="UnsandboxedWorkflowRunner"),
        Arm("hand-sandbox", "hand", worker="sandbox", about="sandbox with passthrough"),
        Arm("hand-nosandbox", "hand", worker="nosandbox", about="UnsandboxedWorkflowRunner"),
        Arm("hand-sdk-worker", "hand", worker="default", about="SDK worker defaults, tuned server"),
        Arm("hand-plain-server", "hand", server="default", about="make-run worker, default server"),
        Arm("hand-pragmas-only", "hand", server="pragmas", about="WAL pragmas, default poll RPS"),
        Arm("hand-rps-only", "hand", server="rps", about="poll RPS 1000, no pragmas"),
        Arm("hand-partitions1", "hand", server="partitions1", about="one task-queue partition"),
        Arm("hand-eager", "hand", server="eager", about="eager activity execution"),
        Arm("hand-local", "hand", local_activities=True, about="local activities"),
        Arm("engine-local", "engine", local_activities=True, about="engine, local activities"),
    ]
}
MAIN_ARMS = ["engine", "hand-written", "api-poll", "api-wait", "temporal-only", "default-config"]


@dataclass(frozen=True)
class Shape:
    name: str
    concurrency: int  # closed loop: sagas in flight; burst: starts in flight
    seconds: float = 0.0  # closed loop length
    burst: int = 0  # burst size (0: closed loop)

    @property
    def is_burst(self) -> bool:
        return self.burst > 0


def shapes(quick: bool, burst: int, inflight: int) -> list[Shape]:
    if quick:
        return [
            Shape("c1", 1, seconds=2),
            Shape("c8", 8, seconds=2),
            Shape("c64", 64, seconds=2),
            Shape(f"burst{burst}", inflight, burst=burst),
        ]
    return [
        Shape("c1", 1, seconds=3),
        Shape("c8", 8, seconds=4),
        Shape("c64", 64, seconds=3),
        Shape(f"burst{burst}", inflight, burst=burst),
    ]
