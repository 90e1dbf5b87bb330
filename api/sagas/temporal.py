"""Talking to Temporal from the API: bounded calls, and an outage answered 503, never 500."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from temporalio.client import WorkflowExecutionDescription, WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode

from api.error_handlers import transient
from http_contract.errors import DomainError, NotFound

RPC_TIMEOUT = timedelta(seconds=5)


class TemporalUnavailable(DomainError):
    status = 503


class PayloadUndecodable(DomainError):
    status = 503


@contextmanager
def temporal_errors() -> Iterator[None]:
    """Temporal down or too slow → 503 `temporal_unavailable`; a saga stored with a payload codec
    this API is not configured with → 503 `payload_undecodable`."""
    try:
        yield
    except KeyError as error:  # how the data converter reports an encoding it has no codec for
        if "payload encoding" not in str(error):
            raise
        raise PayloadUndecodable(
            "payload_undecodable",
            f"the saga's data is stored encoded ({error.args[0]}); this API is not configured "
            "with its codec (TEMPORAL_ENCRYPT_PAYLOADS, TEMPORAL_ENCRYPTION_KEYS)",
        ) from error
    except RPCError as error:
        if transient(error):
            raise _unavailable(error.message) from error
        raise
    except RuntimeError as error:  # a lazy client's first call finds no server
        if str(error).startswith("Failed client connect"):
            raise _unavailable(str(error)) from error
        raise


def _unavailable(detail: str) -> TemporalUnavailable:
    return TemporalUnavailable("temporal_unavailable", f"Temporal cannot be reached: {detail}")


async def describe(handle: WorkflowHandle[Any, Any]) -> WorkflowExecutionDescription:
    with temporal_errors():
        try:
            return await handle.describe(rpc_timeout=RPC_TIMEOUT)
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                raise NotFound("saga_not_found", f"saga {handle.id} not found") from error
            raise
