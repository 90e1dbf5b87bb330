"""Every saga this service runs."""

from workflows.cancel_order import CANCEL_ORDER, CancelOrderWorkflow
from workflows.create_order import CREATE_ORDER, CreateOrderWorkflow
from workflows.definition import SagaDefinition
from workflows.revise_order import REVISE_ORDER, ReviseOrderWorkflow

WORKFLOWS = [CreateOrderWorkflow, CancelOrderWorkflow, ReviseOrderWorkflow]
DEFINITIONS: dict[str, SagaDefinition] = {
    d.saga_type: d for d in (CREATE_ORDER, CANCEL_ORDER, REVISE_ORDER)
}
