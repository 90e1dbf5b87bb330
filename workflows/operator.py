"""What an operator may decide for a saga that needs attention."""

from temporalio.exceptions import ApplicationError

from workflows.definition import StepKind
from workflows.state import Resolution, SagaStatus, StepState

RESOLUTIONS = ("retry", "skip")


def check_resolution(
    status: SagaStatus, pending: Resolution | None, step: StepState | None, resolution: Resolution
) -> None:
    """Raise the reason a resolution is refused. Checked by the update's validator and again by
    its handler: two resolutions that pass the validator together must not both be accepted."""
    if status is not SagaStatus.NEEDS_ATTENTION or pending is not None:
        busy = " (a resolution is being applied)" if pending is not None else ""
        raise ApplicationError(
            f"saga is {status}, only a NEEDS_ATTENTION saga can be resolved{busy}",
            type="saga_not_needing_attention",
        )
    if resolution.action not in RESOLUTIONS:
        raise ApplicationError(f"action must be one of {RESOLUTIONS}", type="invalid_resolution")
    if resolution.action == "skip" and step is not None and step.kind == StepKind.PIVOT:
        raise ApplicationError(
            f"{step.name} is the pivot: its outcome is unknown and cannot be skipped; "
            "it is retried until its participant answers",
            type="pivot_not_skippable",
        )
