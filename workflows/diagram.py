"""Mermaid flowcharts drawn from saga definitions: the saga's table as a picture.

Forward steps run left to right; the steps of a group are parallel branches in a box of their
own; each compensation hangs under its step on a dotted edge; the pivot is a hexagon. Given the step statuses of one saga, each step is classed by its status.
"""

from collections.abc import Mapping
from itertools import pairwise, product

from workflows.definition import SagaDefinition, Step, StepKind

MEDIA_TYPE = "text/vnd.mermaid"

STATUS_STYLES = {
    "PENDING": "fill:#f4f4f5,stroke:#a1a1aa,color:#3f3f46",
    "RUNNING": "fill:#dbeafe,stroke:#2563eb,color:#1e3a8a",
    "SUCCEEDED": "fill:#dcfce7,stroke:#16a34a,color:#14532d",
    "FAILED": "fill:#fee2e2,stroke:#dc2626,color:#7f1d1d",
    "COMPENSATING": "fill:#fef3c7,stroke:#d97706,color:#78350f",
    "COMPENSATED": "fill:#ede9fe,stroke:#7c3aed,color:#4c1d95",
    "SKIPPED": "fill:#fafafa,stroke:#d4d4d8,color:#a1a1aa,stroke-dasharray:4 3",
}


def flowchart(definition: SagaDefinition, statuses: Mapping[str, str] | None = None) -> str:
    """The definition as a Mermaid flowchart; with `statuses` (step name → step status), each
    step is classed by its status."""
    lines = ["flowchart LR", f"  %% {definition.saga_type}"]
    for number, stage in enumerate(definition.stages):
        lines += _stage(number, stage)
    names = [step.name for step in definition.steps]
    for before, after in pairwise(definition.stages):
        lines += [f"  {a.name} --> {b.name}" for a, b in product(before, after)]
    for step in definition.steps:
        if step.compensation is not None:
            lines.append(f'  {step.name}_undo(["{step.compensation}"])')
            lines.append(f"  {step.name} -. compensation .-> {step.name}_undo")
    if statuses:
        lines += [f"  classDef {status} {style}" for status, style in STATUS_STYLES.items()]
        lines += [
            f"  class {name} {statuses[name]}"
            for name in names
            if statuses.get(name) in STATUS_STYLES
        ]
    return "\n".join(lines) + "\n"


def _stage(number: int, stage: tuple[Step, ...]) -> list[str]:
    """A lone step is a node; a group is a subgraph of its steps, side by side."""
    if len(stage) == 1:
        return [f"  {_node(stage[0])}"]
    box = [f'  subgraph group_{number} ["{stage[0].group}"]', "    direction TB"]
    return [*box, *(f"    {_node(step)}" for step in stage), "  end"]


def _node(step: Step) -> str:
    label = f"{step.name}<br/><small>{step.action} · {step.kind.value}</small>"
    if step.kind is StepKind.PIVOT:
        return f'{step.name}{{{{"{label}"}}}}'
    return f'{step.name}["{label}"]'
