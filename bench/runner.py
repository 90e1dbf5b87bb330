"""One benchmark run: start the stack, seed, warm up, run every (repetition, shape, arm) phase
with the arms interleaved, then the memory check; write the table and the JSON file."""

import argparse
import asyncio
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import temporalio
from temporalio.client import Client

from bench.arms import ARMS, MAIN_ARMS, Arm, Shape, shapes
from bench.idle import IdleCost, idle_cost, idle_table
from bench.load import Sample, Target, burst, run_shape
from bench.memory import memory_check
from bench.procs import cpu_seconds, memory_kib
from bench.progress import Progress
from bench.report import memory_table, table, targets_table, write_json
from bench.seed import World, seed
from bench.served import quantile_ms, read_buckets
from bench.stack import PARTICIPANTS, BenchStack
from bench.stats import PhaseResult, phase_result, summarize, targets
from bench.timeline import breakdown, breakdown_table
from temporal_client.connection import TemporalSettings, connect_temporal
from workflows.state import SagaOptions

RESULTS = Path(__file__).parent / "results"
TIMELINE_SAGAS = 20  # unloaded sagas per arm whose histories say where the time goes


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a 1-2 minute smoke run")
    parser.add_argument("--arms", default=",".join(MAIN_ARMS), help=f"comma list of {list(ARMS)}")
    parser.add_argument("--repeat", type=int, default=None, help="repetitions (default 3, quick 1)")
    parser.add_argument(
        "--burst", type=int, default=None, help="burst size (default 100, quick 40)"
    )
    parser.add_argument("--inflight", type=int, default=50, help="starts in flight in a burst")
    parser.add_argument("--shapes", default="", help="comma list of shape names (c1,c8,c64,burst)")
    parser.add_argument(
        "--memory", type=int, nargs="?", const=2000, default=0,
        help="worker RSS with N sagas open at once (default N=2000)",
    )  # fmt: skip
    parser.add_argument(
        "--idle", type=float, default=None, help="idle window in s (default 30, quick 5; 0: none)"
    )
    parser.add_argument("--out", type=Path, default=None, help="JSON file (default bench/results/)")
    parser.add_argument("--keep", action="store_true", help="keep the data and logs directory")
    args = parser.parse_args(argv)
    unknown = [a for a in args.arms.split(",") if a and a not in ARMS]
    if unknown:
        parser.error(f"unknown arms {unknown}; known: {list(ARMS)}")
    return args


class RssSampler:
    """The largest VmRSS of one process while the sampler runs (sampled every 100 ms)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kib, self._stop = pid, memory_kib(pid), threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak_kib = max(self.peak_kib, memory_kib(self.pid))

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_kib = max(self.peak_kib, memory_kib(self.pid))


def processes(stack: BenchStack, arm: Arm) -> dict[str, list[int]]:
    """The pids whose CPU an arm's phase is charged for, by role."""
    roles = {
        "server": [stack.servers[arm.server].pid],
        "worker": [stack.workers[(arm.server, arm.worker)].pid],
        "participants": [child.pid for child in stack.participants.values()],
        "driver": [os.getpid()],
    }
    if arm.via_api and stack.api is not None:
        roles["api"] = [stack.api.pid]
    if stack.view is not None:
        roles["view"] = [stack.view.pid]
    return roles


def cpu_by_role(roles: dict[str, list[int]]) -> dict[str, float]:
    return {role: sum(cpu_seconds(pid) for pid in pids) for role, pids in roles.items()}


async def phase(
    stack: BenchStack, target: Target, shape: Shape, rep: int
) -> tuple[list[Sample], PhaseResult]:
    arm = target.arm
    roles = processes(stack, arm)
    before = cpu_by_role(roles)
    target.reads.clear()
    http = target.http if arm.wait == "poll" else None
    served = await read_buckets(http, target.api_url) if http else {}
    with RssSampler(stack.workers[(arm.server, arm.worker)].pid) as rss:
        load = await run_shape(target, shape)
    after = cpu_by_role(roles)
    served_p99 = (
        quantile_ms(served, await read_buckets(http, target.api_url), 0.99) if http else 0.0
    )
    ok = [s.latency for s in load.samples if s.ok]
    return load.samples, phase_result(
        arm.name, shape.name, rep, ok, load.counted, len(load.failed), load.window,
        {role: after[role] - before[role] for role in roles},
        rss.peak_kib / 1024, [s.error for s in load.failed], target.reads,
        served_p99,
    )  # fmt: skip


def schedule(arms: list[str], shape_list: list[Shape], repeat: int) -> list[tuple[int, Shape, str]]:
    """Every arm under every shape, repetition after repetition; the arm order rotates so no
    arm always runs first (or right after the heaviest one)."""
    plan = []
    for rep in range(repeat):
        for index, shape in enumerate(shape_list):
            turn = (rep + index) % len(arms)
            plan += [(rep, shape, arm) for arm in arms[turn:] + arms[:turn]]
    return plan


async def drive(
    stack: BenchStack, args: argparse.Namespace, arms: list[str], plan: list[Any]
) -> dict[str, Any]:
    clients = {
        name: await connect_temporal(TemporalSettings(address=stack.address(name)))
        for name in stack.servers
    }
    urls = {name: stack.url(name) for name, _ in PARTICIPANTS}
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        world = await seed(http, urls)
        targets_ = {name: _target(ARMS[name], clients, world, http, stack) for name in arms}
        progress = Progress(len(arms) + len(plan) + (1 if args.memory else 0))
        for name, target in targets_.items():  # warm-up: imports, caches, connections
            progress.show(f"warm-up {name}")
            await burst(target, 16, 4)
            progress.step(f"warm-up {name}")
        idle = await _idle(stack, args)
        results: list[PhaseResult] = []
        unloaded: dict[str, list[Sample]] = defaultdict(list)
        for rep, shape, name in plan:
            progress.show(f"rep {rep + 1} {shape.name} {name}")
            samples, result = await phase(stack, targets_[name], shape, rep)
            results.append(result)
            if shape.concurrency == 1 and not shape.is_burst:
                unloaded[name] += samples
            progress.step(f"rep {rep + 1} {shape.name} {name}: {results[-1].sagas_per_s:.1f}/s")
            await asyncio.sleep(0.5)
        memory = None
        if args.memory:
            progress.show(f"memory: {args.memory} open sagas")
            engine = _target(ARMS["engine"], clients, world, http, stack)
            memory = await memory_check(
                engine,
                http,
                urls,
                stack.workers[("tuned", "run")],
                stack.servers["tuned"],
                args.memory,
            )
            progress.step("memory")
        progress.close()
        timelines = {
            name: await breakdown(targets_[name].client, samples[-TIMELINE_SAGAS:])
            for name, samples in unloaded.items()
        }
    return {"results": results, "memory": memory, "timelines": timelines, "idle": idle}


IDLE_SETTLE_SECONDS = 10.0


async def _idle(stack: BenchStack, args: argparse.Namespace) -> IdleCost | None:
    """After the warm-up, before any phase: what the whole stack costs while nothing runs."""
    seconds = args.idle if args.idle is not None else (5.0 if args.quick else 30.0)
    if seconds <= 0:
        return None
    # Let the warm-up's last sagas, feed deliveries and the server's tasks after them settle.
    await asyncio.sleep(IDLE_SETTLE_SECONDS)
    return await idle_cost(stack.children(), seconds)


def _target(
    arm: Arm, clients: dict[str, Client], world: World, http: httpx.AsyncClient, stack: BenchStack
) -> Target:
    api_url = stack.api_url if arm.via_api else ""
    options = (
        SagaOptions(local_activities=True)
        if arm.local_activities and arm.workflow == "engine"
        else SagaOptions()
    )
    return Target(arm, clients[arm.server], world, http, api_url, options)


def machine() -> dict[str, Any]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    load = os.getloadavg()
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "temporalio": temporalio.__version__,
        "loadavg_at_start": [round(x, 2) for x in load],
    }


def chosen_shapes(args: argparse.Namespace) -> list[Shape]:
    size = args.burst or (40 if args.quick else 100)
    shape_list = shapes(args.quick, size, args.inflight)
    wanted = [name for name in args.shapes.split(",") if name]
    if not wanted:
        return shape_list
    return [s for s in shape_list if s.name in wanted or (s.is_burst and "burst" in wanted)]


def measure(args: argparse.Namespace, arms: list[str], plan: list[Any]) -> dict[str, Any]:
    """Start the processes, drive the load, stop them; logs are kept when something fails."""
    data = Path(tempfile.mkdtemp(prefix="saga-bench-"))
    stack = BenchStack(data)
    print(f"bench: {len(plan)} phases, data and logs in {data}", file=sys.stderr)
    try:
        stack.start([ARMS[a] for a in arms], memory=bool(args.memory))
        outcome = asyncio.run(drive(stack, args, arms, plan))
    except BaseException:
        print(f"bench failed; logs kept in {data}", file=sys.stderr)
        stack.stop()
        raise
    stack.stop()
    if not args.keep:
        shutil.rmtree(data, ignore_errors=True)
    return outcome


def main(argv: list[str]) -> int:
    args = parse(argv)
    arms = [a for a in args.arms.split(",") if a]
    repeat = args.repeat or (1 if args.quick else 3)
    shape_list = chosen_shapes(args)
    info, began = machine(), time.monotonic()
    outcome = measure(args, arms, schedule(arms, shape_list, repeat))
    summaries = summarize(outcome["results"])
    checks = targets(summaries, [s.name for s in shape_list if s.name != "c1"], "c1")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = args.out or RESULTS / f"bench-{stamp}.json"
    write_json(out, {
        "machine": info,
        "command": "python -m bench " + " ".join(argv),
        "arms": {a: asdict(ARMS[a]) for a in arms},
        "shapes": [asdict(s) for s in shape_list],
        "repeat": repeat,
        "seconds": round(time.monotonic() - began, 1),
        "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
        "summaries": [s.as_dict() for s in summaries],
        "targets": [asdict(c) for c in checks],
        "memory": outcome["memory"],
        "idle": asdict(outcome["idle"]) if outcome["idle"] else None,
        "timelines": outcome["timelines"],
        "phases": [asdict(r) for r in outcome["results"]],
    })  # fmt: skip
    print(f"\nmedians of {repeat} repetition(s); CPU in ms per completed saga\n")
    print(table(summaries, arms, [s.name for s in shape_list]))
    if checks:
        print("\n" + targets_table(checks))
    if outcome["timelines"]:
        print("\nwhere an unloaded saga's time goes\n" + breakdown_table(outcome["timelines"]))
    if outcome["memory"]:
        print("\nworker memory check\n" + memory_table(outcome["memory"]))
    if outcome["idle"]:
        print("\n" + idle_table(outcome["idle"]))
    print(f"\n{out}  ({time.monotonic() - began:.0f} s)")
    return 0
