"""Writes dashboards/sagas.json, the provisioned Grafana dashboard, from the panel list below.

.venv/bin/python deploy/grafana/build_dashboard.py
"""

import json
from pathlib import Path
from typing import Any

DASHBOARD = Path(__file__).parent / "dashboards" / "sagas.json"
SOURCE = {"type": "prometheus", "uid": "prometheus"}

# (title, unit, queries as (PromQL, legend)); each panel is a time series, half a row wide.
PANELS: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("Sagas started / s", "ops", [
        ("sum by (saga_type) (rate(saga_started_total[1m]))", "{{saga_type}}"),
    ]),
    ("Sagas finished / s by status", "ops", [
        ("sum by (saga_type, status) (rate(saga_finished_total[1m]))", "{{saga_type}} {{status}}"),
    ]),
    ("Sagas needing attention", "short", [
        ("max by (saga_type) (saga_needs_attention)", "{{saga_type}}"),
    ]),
    ("Compensated steps / s", "ops", [
        ("sum by (saga_type, step) (rate(saga_compensations_total[5m]))", "{{saga_type}} {{step}}"),
    ]),
    ("Step attempts / s by outcome", "ops", [
        ("sum by (step, direction, outcome) (rate(saga_step_attempts_total[1m]))",
         "{{step}} {{direction}} {{outcome}}"),
    ]),
    ("Step latency p99", "s", [
        ("histogram_quantile(0.99, sum by (le, saga_type, step, direction) "
         "(rate(saga_step_duration_seconds_bucket[5m])))", "{{step}} {{direction}}"),
    ]),
    ("API latency p99 by route", "s", [
        ('histogram_quantile(0.99, sum by (le, method, route) '
         '(rate(http_request_duration_seconds_bucket{job="api"}[5m])))', "{{method}} {{route}}"),
    ]),
    ("Participant requests / s by status", "reqps", [
        ('sum by (instance, status) (rate(http_request_duration_seconds_count'
         '{job=~"participants|order-history"}[1m]))', "{{instance}} {{status}}"),
    ]),
    ("Feed lag (replica, order history)", "s", [
        ("max by (job, source) (feed_lag_seconds)", "{{job}} {{source}}"),
    ]),
    ("Temporal: task schedule-to-start p99", "s", [
        ("histogram_quantile(0.99, sum by (le) "
         "(rate(temporal_workflow_task_schedule_to_start_latency_bucket[5m])))", "workflow tasks"),
        ("histogram_quantile(0.99, sum by (le) "
         "(rate(temporal_activity_schedule_to_start_latency_bucket[5m])))", "activity tasks"),
    ]),
    ("Temporal: worker task slots used", "short", [
        ("sum by (instance, worker_type) (temporal_worker_task_slots_used)",
         "{{instance}} {{worker_type}}"),
    ]),
]  # fmt: skip


def panel(number: int, title: str, unit: str, queries: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "id": number + 1,
        "type": "timeseries",
        "title": title,
        "datasource": SOURCE,
        "gridPos": {"h": 8, "w": 12, "x": 12 * (number % 2), "y": 8 * (number // 2)},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "targets": [
            {"refId": chr(ord("A") + i), "datasource": SOURCE, "expr": expr, "legendFormat": legend}
            for i, (expr, legend) in enumerate(queries)
        ],
    }


def dashboard() -> dict[str, Any]:
    return {
        "uid": "sagas",
        "title": "Sagas",
        "tags": ["sagas", "temporal"],
        "timezone": "utc",
        "schemaVersion": 39,
        "refresh": "10s",
        "time": {"from": "now-30m", "to": "now"},
        "panels": [panel(n, *spec) for n, spec in enumerate(PANELS)],
    }


def rendered() -> str:
    return json.dumps(dashboard(), indent=2) + "\n"


if __name__ == "__main__":
    DASHBOARD.write_text(rendered())
