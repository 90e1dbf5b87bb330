"""The saga's current details in the Temporal Web UI: a Markdown step table and status.

The saga status, where it stands with its pivot, one row per step and the operators'
decisions. A pure function of the state, so the workflow can set it on every publication
without a command in its history."""

from workflows.definition import StepKind
from workflows.state import ErrorInfo, OperatorAction, SagaState, StepState

LINE_LIMIT = 160  # a longer error message or reason is cut: the table stays readable
HEADER = (
    "| step | kind | status | attempts | compensation | compensation attempts | error |\n"
    "| --- | --- | --- | --- | --- | --- | --- |"
)


def current_details(state: SagaState) -> str:
    """The saga's status, pivot, step table (an error by its code), the steps' error messages
    and the operator actions, in Temporal Markdown."""
    rows = "\n".join(_row(step) for step in state.steps)
    parts = [_status_line(state), _pivot_line(state), f"{HEADER}\n{rows}", _error_lines(state)]
    return "\n\n".join(part for part in [*parts, _operator_lines(state)] if part)


def _error_lines(state: SagaState) -> str:
    """The messages, below the table: the Web UI's panel is too narrow for them in a cell."""
    errors = [f"* `{step.name}`: {_line(_error(step.error))}" for step in state.steps if step.error]
    return "**Errors**\n\n" + "\n".join(errors) if errors else ""


def _status_line(state: SagaState) -> str:
    error = f" — {_line(_error(state.error))}" if state.error else ""
    return f"**{state.saga_type}** saga: **{state.status.value}**{error}"


def _pivot_line(state: SagaState) -> str:
    pivot = next((step.name for step in state.steps if step.kind == StepKind.PIVOT), None)
    if pivot is None:
        return "**Pivot**: none (a rejection or a cancellation compensates at any step)"
    if state.past_pivot:
        return f"**Pivot** `{pivot}`: passed — the saga runs forward to completion"
    return f"**Pivot** `{pivot}`: not passed — a rejection or a cancellation compensates"


def _row(step: StepState) -> str:
    """A step's row: its error by code only (the messages follow the table); names and statuses
    as code spans, whose backgrounds keep cells apart where the UI draws them unpadded."""
    compensation = f"`{step.compensation}`" if step.compensation else "—"
    compensation_attempts = str(step.compensation_attempts) if step.compensation else "—"
    cells = [
        f"`{step.name}`", step.kind, f"`{step.status.value}`", str(step.attempts), compensation,
        compensation_attempts, step.error.code if step.error else "",
    ]  # fmt: skip
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _operator_lines(state: SagaState) -> str:
    if not state.operator_actions:
        return "**Operator actions**: none"
    return "**Operator actions**\n\n" + "\n".join(
        f"{number}. {_action(action)}" for number, action in enumerate(state.operator_actions, 1)
    )


def _action(action: OperatorAction) -> str:
    step = f" at step `{action.step}`" if action.step else ""
    at = action.at.isoformat(timespec="seconds")
    return f"{at} · {_line(action.actor)} · **{action.action}**{step}: {_line(action.reason)}"


def _error(error: ErrorInfo) -> str:
    return f"{error.code}: {error.message}"


def _line(text: str) -> str:
    """`text` on a single line, cut to `LINE_LIMIT` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= LINE_LIMIT else flat[: LINE_LIMIT - 1] + "…"


def _cell(text: str) -> str:
    """One table cell: a single line with its pipes escaped."""
    return _line(text).replace("|", "\\|")
