"""Rich tables for sagas, steps and the audit."""

from typing import Any

from rich.table import Table
from rich.text import Text

Json = dict[str, Any]

TERMINAL = {"COMPLETED", "COMPENSATED", "CANCELLED", "FAILED"}
STYLES = {
    "COMPLETED": "green",
    "SUCCEEDED": "green",
    "COMPENSATED": "yellow",
    "CANCELLED": "yellow",
    "COMPENSATING": "yellow",
    "RUNNING": "cyan",
    "NEEDS_ATTENTION": "bold red",
    "FAILED": "red",
    "SKIPPED": "dim",
    "PENDING": "dim",
}


def styled(status: str) -> Text:
    return Text(status, style=STYLES.get(status, ""))


def saga_list(sagas: list[Json]) -> Table:
    table = Table("saga id", "type", "status", "started", "closed", title="sagas")
    for saga in sagas:
        table.add_row(
            saga["saga_id"],
            saga["saga_type"],
            styled(saga["status"]),
            _time(saga.get("started_at")),
            _time(saga.get("closed_at")),
        )
    return table


def saga_steps(saga: Json) -> Table:
    """The saga's steps in definition order, with attempts and the last error."""
    title = f"{saga['saga_id']} ({saga['saga_type']}): {saga['status']}"
    table = Table("#", "step", "kind", "status", "attempts", "error", title=title)
    for number, step in enumerate(saga["steps"], start=1):
        attempts = str(step.get("attempts", 0))
        if step.get("compensation_attempts"):
            attempts += f" + {step['compensation_attempts']} comp."
        table.add_row(
            str(number),
            step["name"],
            step["kind"],
            styled(step["status"]),
            attempts,
            _error(step.get("error")),
        )
    caption = [f"error: {_error(saga['error'])}"] if saga.get("error") else []
    caption += [f"Web UI: {saga['web_ui_url']}"] if saga.get("web_ui_url") else []
    table.caption = "\n".join(caption) or None
    return table


def audit(report: Json) -> Table:
    verdict = "consistent" if report.get("ok") else "VIOLATIONS FOUND"
    checked = ", ".join(f"{name}: {count}" for name, count in report.get("checked", {}).items())
    table = Table("rule", "order id", "detail", title=f"audit: {verdict}", caption=checked)
    for violation in report.get("violations", []):
        table.add_row(
            violation.get("rule", ""), violation.get("order_id", ""), str(violation.get("detail"))
        )
    return table


def _error(error: Json | None) -> str:
    return f"{error['code']}: {error['message']}" if error else ""


def _time(value: str | None) -> str:
    return value.replace("T", " ")[:19] if value else ""
