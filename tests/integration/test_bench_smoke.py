"""The benchmark's pure parts (no load): statistics, schedule, table, targets."""

import math

from bench import load, memory, stack, worker, workflows  # noqa: F401 - they must import
from bench.arms import ARMS, MAIN_ARMS, shapes
from bench.progress import Progress
from bench.report import table, targets_table
from bench.runner import parse, schedule
from bench.served import quantile_ms
from bench.stats import percentile, phase_result, summarize, targets
from bench.timeline import COLUMNS, breakdown_table


def test_percentile_interpolates_between_order_statistics() -> None:
    assert percentile([3.0, 1.0, 2.0, 4.0], 50) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 99) == 4.96
    assert percentile([7.0], 95) == 7.0
    assert math.isnan(percentile([], 50))


def result(arm: str, shape: str, rep: int, rate: float, latencies: list[float]):
    counted = int(rate * 10)
    return phase_result(arm, shape, rep, latencies, counted, 0, 10.0, {"server": 1.0}, 100.0)


def test_phase_result_counts_completions_and_cpu_per_saga() -> None:
    phase = phase_result("engine", "c8", 0, [0.1, 0.2, 0.3, 0.4], 4, 1, 2.0, {"worker": 0.2})
    assert phase.sagas_per_s == 2.0 and phase.failed == 1
    assert math.isclose(phase.p50_ms, 250.0)
    assert math.isclose(phase.cpu_ms_per_saga["worker"], 50.0)


def test_summaries_take_the_median_of_repetitions_and_feed_the_targets() -> None:
    phases = [
        result(arm, shape, rep, rate * (1 + rep / 100), [0.1] * 10)
        for rep in range(3)
        for arm, rate in [("engine", 10), ("hand-written", 10), ("default-config", 4), ("api", 9.5)]
        for shape in ("c1", "c64")
    ]
    summaries = summarize(phases)
    engine = next(s for s in summaries if (s.arm, s.shape) == ("engine", "c64"))
    assert engine.reps == 3 and math.isclose(engine.sagas_per_s, 10.1)
    assert engine.cpu_ms_per_saga == {"server": 100.0}
    checks = {(c.name, c.shape): c for c in targets(summaries, ["c64"], "c1")}
    assert checks[("engine / hand-written sagas/s", "c64")].met
    assert checks[("engine / hand-written by CPU per saga", "c64")].value == 1.0
    assert math.isclose(checks[("tuned / default-config sagas/s", "c64")].value, 10.1 / 4.0)
    assert checks[("API / engine sagas/s", "c64")].met
    assert checks[("engine unloaded p50 (ms)", "c1")].met
    text = table(summaries, ["engine", "hand-written", "default-config", "api"], ["c1", "c64"])
    assert text.count("\n") == 2 + 4 * 2 - 1 and "| engine | c64 | 10.1 |" in text
    assert "| API / engine sagas/s | c64 | 0.94 | >= 0.9 | yes |" in targets_table(
        list(checks.values())
    )


def test_every_arm_runs_every_shape_each_repetition_in_rotating_order() -> None:
    plan = schedule(MAIN_ARMS, shapes(False, 100, 50), 3)
    assert len(plan) == 3 * 4 * len(MAIN_ARMS)
    firsts = {arm for _, _, arm in plan[:: len(MAIN_ARMS)]}
    assert len(firsts) > 1
    assert set(MAIN_ARMS) <= set(ARMS)


def test_options_and_progress(capsys) -> None:
    args = parse(["--quick", "--arms", "engine,api", "--memory"])
    assert args.quick and args.memory == 2000 and args.arms == "engine,api"
    progress = Progress(2)
    progress.step("one")
    progress.close()
    assert "1/2" in capsys.readouterr().err


def test_the_time_breakdown_table_has_one_column_per_part() -> None:
    text = breakdown_table({"engine": {"total": 200.0, "activity": 100.0}})
    assert COLUMNS[:2] == ["total", "client"] and "activity" in COLUMNS
    assert text.splitlines()[2].startswith("| engine | 200 | 0 |")


def test_the_apis_read_quantile_is_the_bound_of_the_bucket_it_falls_in() -> None:
    before = {0.005: 10.0, 0.01: 10.0, 0.025: 10.0, math.inf: 10.0}
    after = {0.005: 108.0, 0.01: 109.0, 0.025: 110.0, math.inf: 110.0}  # 100 reads in the phase
    assert quantile_ms(before, after, 0.5) == 5.0
    assert quantile_ms(before, after, 0.99) == 10.0
    assert quantile_ms(before, after, 1.0) == 25.0
    assert math.isnan(quantile_ms(after, after, 0.99))
