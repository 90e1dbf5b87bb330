"""Pure statistics: percentiles, one phase's result, medians over repetitions, target ratios."""

import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), linearly interpolated between order statistics."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class PhaseResult:
    """One arm under one load shape, one repetition."""

    arm: str
    shape: str
    rep: int
    completed: int  # completions counted for throughput
    failed: int
    seconds: float
    sagas_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    cpu_ms_per_saga: dict[str, float] = field(default_factory=dict)
    worker_peak_rss_mb: float = 0.0
    errors: list[str] = field(default_factory=list)
    read_p50_ms: float = 0.0  # GET /sagas/{id} as polling clients saw it (api-poll only)
    read_p99_ms: float = 0.0
    served_p99_ms: float = 0.0  # ... as the API answered it (its histogram's bucket bound)


def phase_result(
    arm: str,
    shape: str,
    rep: int,
    latencies: Sequence[float],
    counted: int,
    failed: int,
    window: float,
    cpu_seconds: dict[str, float],
    worker_peak_rss_mb: float = 0.0,
    errors: Sequence[str] = (),
    reads: Sequence[float] = (),
    served_p99_ms: float = 0.0,
) -> PhaseResult:
    """CPU is divided over every saga that completed in the phase (`latencies`)."""
    done = max(len(latencies), 1)
    ms = [value * 1000 for value in latencies]
    read_ms = [value * 1000 for value in reads]
    return PhaseResult(
        arm=arm,
        shape=shape,
        rep=rep,
        completed=counted,
        failed=failed,
        seconds=round(window, 3),
        sagas_per_s=counted / window if window > 0 else 0.0,
        p50_ms=percentile(ms, 50),
        p95_ms=percentile(ms, 95),
        p99_ms=percentile(ms, 99),
        cpu_ms_per_saga={name: cpu * 1000 / done for name, cpu in cpu_seconds.items()},
        worker_peak_rss_mb=worker_peak_rss_mb,
        errors=list(errors)[:3],
        read_p50_ms=percentile(read_ms, 50) if read_ms else 0.0,
        read_p99_ms=percentile(read_ms, 99) if read_ms else 0.0,
        served_p99_ms=served_p99_ms,
    )


NUMERIC = ("completed", "failed", "seconds", "sagas_per_s", "p50_ms", "p95_ms", "p99_ms")


@dataclass
class Summary:
    """The median of an arm's repetitions under one shape (peak RSS: the largest)."""

    arm: str
    shape: str
    reps: int
    sagas_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    cpu_ms_per_saga: dict[str, float]
    worker_peak_rss_mb: float
    completed: float
    failed: float
    seconds: float
    spread: float  # (max - min) / median of sagas/s over the repetitions
    read_p50_ms: float = 0.0
    read_p99_ms: float = 0.0
    served_p99_ms: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def summarize(results: Sequence[PhaseResult]) -> list[Summary]:
    groups: dict[tuple[str, str], list[PhaseResult]] = defaultdict(list)
    for result in results:
        groups[(result.arm, result.shape)].append(result)
    return [_summary(arm, shape, group) for (arm, shape), group in groups.items()]


def _summary(arm: str, shape: str, group: list[PhaseResult]) -> Summary:
    def median(name: str) -> float:
        return float(statistics.median(getattr(r, name) for r in group))

    keys = sorted({key for r in group for key in r.cpu_ms_per_saga})
    cpu = {k: statistics.median(r.cpu_ms_per_saga.get(k, 0.0) for r in group) for k in keys}
    rates = [r.sagas_per_s for r in group]
    rate = median("sagas_per_s")
    return Summary(
        arm=arm,
        shape=shape,
        reps=len(group),
        sagas_per_s=rate,
        p50_ms=median("p50_ms"),
        p95_ms=median("p95_ms"),
        p99_ms=median("p99_ms"),
        cpu_ms_per_saga=cpu,
        worker_peak_rss_mb=max(r.worker_peak_rss_mb for r in group),
        completed=median("completed"),
        failed=median("failed"),
        seconds=median("seconds"),
        spread=(max(rates) - min(rates)) / rate if rate else math.nan,
        read_p50_ms=median("read_p50_ms"),
        read_p99_ms=median("read_p99_ms"),
        served_p99_ms=median("served_p99_ms"),
    )


@dataclass
class TargetCheck:
    name: str
    shape: str
    value: float
    goal: str
    met: bool


def _find(summaries: Sequence[Summary], arm: str, shape: str) -> Summary | None:
    return next((s for s in summaries if s.arm == arm and s.shape == shape), None)


def ratio(summaries: Sequence[Summary], arm: str, base: str, shape: str, metric: str) -> float:
    a, b = _find(summaries, arm, shape), _find(summaries, base, shape)
    if a is None or b is None or not getattr(b, metric):
        return math.nan
    return float(getattr(a, metric) / getattr(b, metric))


SYSTEM = ("server", "worker", "participants", "view", "api")  # the load generator is not the system


def cpu_ratio(summaries: Sequence[Summary], arm: str, base: str, shape: str) -> float:
    """base CPU / arm CPU per saga, summed over the system's processes: the sagas/s ratio a
    CPU-bound machine would show, and far steadier on a shared machine than sagas/s."""
    a, b = _find(summaries, arm, shape), _find(summaries, base, shape)
    if a is None or b is None:
        return math.nan
    cost = sum(a.cpu_ms_per_saga.get(name, 0.0) for name in SYSTEM)
    return sum(b.cpu_ms_per_saga.get(name, 0.0) for name in SYSTEM) / cost if cost else math.nan


def targets(
    summaries: Sequence[Summary], loaded: Sequence[str], unloaded: str
) -> list[TargetCheck]:
    """The issue's targets, each as a ratio from the same run (or an absolute for latency)."""
    checks: list[TargetCheck] = []

    def add(name: str, shape: str, value: float, goal: str, met: bool) -> None:
        if not math.isnan(value):
            checks.append(TargetCheck(name, shape, value, goal, met))

    pairs = [
        ("engine / hand-written", "engine", "hand-written", 0.97),
        ("tuned / default-config", "hand-written", "default-config", 2.0),
        ("tuned + local activities / default-config", "engine-local", "default-config", 2.0),
        ("API / engine", "api", "engine", 0.9),
        ("API, waiting clients / engine", "api-wait", "engine", 0.9),
        ("API, polling clients / waiting clients", "api-poll", "api-wait", 0.9),
    ]
    for shape in loaded:
        for name, arm, base, goal in pairs:
            value = ratio(summaries, arm, base, shape, "sagas_per_s")
            add(f"{name} sagas/s", shape, value, f">= {goal:g}", value >= goal)
            value = cpu_ratio(summaries, arm, base, shape)
            add(f"{name} by CPU per saga", shape, value, f">= {goal:g}", value >= goal)
            if arm == "engine" and base == "hand-written":
                value = ratio(summaries, arm, base, shape, "p99_ms")
                add(f"{name} p99", shape, value, "<= 1.10", value <= 1.10)
    for shape in loaded:
        polled = _find(summaries, "api-poll", shape)
        if polled is not None and polled.read_p99_ms:
            value = polled.read_p99_ms
            add("status read p99 (ms), polling clients", shape, value, "<= 25", value <= 25)
        if polled is not None and polled.served_p99_ms:
            value = polled.served_p99_ms
            name = "status read p99 (ms), answered by the API (bucket bound)"
            add(name, shape, value, "<= 25", value <= 25)
    for arm in ("engine", "api", "api-wait", "engine-local"):
        found = _find(summaries, arm, unloaded)
        if found is not None:
            add(f"{arm} unloaded p50 (ms)", unloaded, found.p50_ms, "<= 120", found.p50_ms <= 120)
    return checks
