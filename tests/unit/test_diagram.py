"""Mermaid flowcharts drawn from the saga definitions."""

from workflows.diagram import flowchart
from workflows.registry import DEFINITIONS

CREATE_ORDER = DEFINITIONS["CreateOrder"]


def test_every_step_is_a_node_in_definition_order() -> None:
    chart = flowchart(CREATE_ORDER)
    assert chart.startswith("flowchart LR\n")
    positions = [
        chart.index(f"  {step.name}[")
        if step.kind != "pivot"
        else chart.index(f"  {step.name}{{{{")
        for step in CREATE_ORDER.steps
    ]
    assert positions == sorted(positions)
    assert "create_order --> verify_consumer" in chart
    assert "approve_ticket --> approve_order" in chart


def test_the_pivot_is_a_hexagon_and_compensations_hang_under_their_steps() -> None:
    chart = flowchart(CREATE_ORDER)
    assert 'authorize_card{{"authorize_card' in chart
    assert 'create_ticket_undo(["kitchen.reject_ticket"])' in chart
    assert "create_ticket -. compensation .-> create_ticket_undo" in chart
    assert "verify_consumer_undo" not in chart  # read-only: nothing to undo


def test_statuses_class_each_step() -> None:
    chart = flowchart(CREATE_ORDER, {"create_order": "COMPENSATED", "create_ticket": "FAILED"})
    assert "class create_order COMPENSATED" in chart
    assert "class create_ticket FAILED" in chart
    assert "classDef COMPENSATED" in chart
    assert "class verify_consumer" not in chart


def test_without_statuses_nothing_is_classed() -> None:
    assert "class " not in flowchart(DEFINITIONS["CancelOrder"])
