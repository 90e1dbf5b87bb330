"""Idle cost of the stack: CPU each process spends over a window in which nothing runs.

A stack that follows its feeds by long poll and waits on Temporal by long poll should cost next
to nothing when idle; a timer poll anywhere shows up here.
"""

import asyncio
from dataclasses import dataclass

from bench.procs import Child, cpu_seconds


@dataclass
class IdleCost:
    seconds: float
    by_process: dict[str, float]  # fraction of one core

    @property
    def total(self) -> float:
        return sum(self.by_process.values())


async def idle_cost(children: list[Child], seconds: float) -> IdleCost:
    before = {child.name: cpu_seconds(child.pid) for child in children}
    await asyncio.sleep(seconds)  # the measurement window itself: nothing to wait for
    after = {child.name: cpu_seconds(child.pid) for child in children}
    return IdleCost(seconds, {name: (after[name] - before[name]) / seconds for name in before})


def idle_table(cost: IdleCost) -> str:
    rows = ["| process | CPU, % of one core |", "|---|---|"]
    rows += [f"| {name} | {share * 100:.2f} |" for name, share in cost.by_process.items()]
    rows.append(f"| **whole stack** | **{cost.total * 100:.2f}** |")
    return f"idle for {cost.seconds:.0f} s\n" + "\n".join(rows)
