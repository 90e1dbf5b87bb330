"""The result table (text) and the JSON file."""

import json
import math
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.stats import Summary, TargetCheck

CPU_COLUMNS = ("server", "worker", "participants", "view", "api", "driver")


def _num(value: float, digits: int = 0) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def table(summaries: Sequence[Summary], arms: Sequence[str], shapes: Sequence[str]) -> str:
    """One row per arm and shape, arms in the given order, as a Markdown table."""
    head = ["arm", "load", "sagas/s", "±", "p50 ms", "p95 ms", "p99 ms"]
    head += [f"CPU {name}" for name in CPU_COLUMNS] + ["worker RSS MB", "failed"]
    rows = [head, ["---"] * len(head)]
    order = {(s.arm, s.shape): s for s in summaries}
    for arm in arms:
        for shape in shapes:
            s = order.get((arm, shape))
            if s is None:
                continue
            cpu = [
                _num(s.cpu_ms_per_saga[c], 1) if c in s.cpu_ms_per_saga else "-"
                for c in CPU_COLUMNS
            ]
            rate = [_num(s.sagas_per_s, 1), f"{_num(s.spread * 100)}%"]
            latency = [_num(s.p50_ms), _num(s.p95_ms), _num(s.p99_ms)]
            rows.append(
                [arm, shape, *rate, *latency, *cpu, _num(s.worker_peak_rss_mb), _num(s.failed)]
            )
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def targets_table(checks: Sequence[TargetCheck]) -> str:
    rows = [["target", "load", "value", "goal", "met"], ["---"] * 5]
    for check in checks:
        value = _num(check.value, 0 if "ms" in check.name else 2)
        rows.append([check.name, check.shape, value, check.goal, "yes" if check.met else "NO"])
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def memory_table(memory: dict[str, Any]) -> str:
    keys = ["sagas", "open", "held_at", "worker_rss_mb", "worker_peak_rss_mb", "worker_hwm_mb"]
    keys += ["server_rss_mb"]
    keys += ["max_cached_workflows", "seconds"]
    return "\n".join(f"  {key:<22} {memory.get(key)}" for key in keys)


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, default=_default) + "\n")


def _default(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    return str(value)
