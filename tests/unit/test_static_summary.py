"""The static summary and details a saga starts with, derived from its input's fields."""

from api.sagas.summary import static_details, static_summary
from workflows.cancel_order import CancelOrderInput
from workflows.create_order import CreateOrderInput, LineItem
from workflows.revise_order import ReviseOrderInput
from workflows.state import SagaOptions

ORDER_ID = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d"
CREATE = CreateOrderInput(
    ORDER_ID, "c-7", "r-3", [LineItem("curry", 2), LineItem("naan", 1)], SagaOptions(60.0)
)


def test_the_summary_names_the_saga_its_ids_shortened_and_its_list_sizes() -> None:
    assert static_summary("CreateOrder", CREATE) == (
        "CreateOrder · order 1a2b3c4d… · consumer c-7 · restaurant r-3 · 2 line items"
    )
    revise = ReviseOrderInput(ORDER_ID, [LineItem("curry", 3)])
    assert static_summary("ReviseOrder", revise) == "ReviseOrder · order 1a2b3c4d… · 1 line item"


def test_a_later_attempt_says_so_in_the_summary() -> None:
    cancel = CancelOrderInput("o-1", attempt=2)
    assert static_summary("CancelOrder", cancel, 2) == "CancelOrder · order o-1 · attempt 2"


def test_the_details_show_the_input_without_its_options() -> None:
    assert static_details(CREATE) == (
        f"* **order id**: `{ORDER_ID}`\n"
        "* **consumer id**: `c-7`\n"
        "* **restaurant id**: `r-3`\n\n"
        "**line items**\n\n"
        "* menu_item_id: `curry` · quantity: `2`\n* menu_item_id: `naan` · quantity: `1`"
    )
    assert "deadline" not in static_details(CREATE)


def test_values_cannot_break_the_markdown() -> None:
    odd = CreateOrderInput("o`1", "c|7", "r\n3", [])
    assert static_details(odd) == (
        "* **order id**: `o'1`\n* **consumer id**: `c/7`\n* **restaurant id**: `r 3`\n\n"
        "**line items**\n\n(none)"
    )
