"""Every saga this service runs: one entry per saga type.

An entry holds the type's definition versions, oldest first (new sagas take the newest; a saga
keeps the version it started with), and its input dataclass."""

from workflows.base import ID, Registry, SagaType
from workflows.cancel_order import CANCEL_ORDER, CancelOrderInput
from workflows.create_order import CREATE_ORDER, CREATE_ORDER_V2, CreateOrderInput
from workflows.definition import SagaDefinition
from workflows.revise_order import REVISE_ORDER, ReviseOrderInput

SAGAS = Registry(
    SagaType((CREATE_ORDER, CREATE_ORDER_V2), CreateOrderInput),
    SagaType((CANCEL_ORDER,), CancelOrderInput),
    SagaType((REVISE_ORDER,), ReviseOrderInput, saga_id=rf"revise-order-{ID}-[0-9]{{1,10}}"),
)
WORKFLOWS = SAGAS.workflows
DEFINITIONS: dict[str, SagaDefinition] = SAGAS.newest  # each type's newest version
