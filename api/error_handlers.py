"""The API's own error answers: an outage of Temporal or an internal service is a 503, and
validation errors have the shared error shape."""

import logging
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from temporalio.service import RPCError, RPCStatusCode

from http_contract.errors import error_body

log = logging.getLogger("api")

# Temporal answers these while it is down, overloaded or too slow: worth a retry later.
TRANSIENT = {
    RPCStatusCode.UNAVAILABLE,
    RPCStatusCode.DEADLINE_EXCEEDED,
    RPCStatusCode.RESOURCE_EXHAUSTED,
    RPCStatusCode.CANCELLED,
    RPCStatusCode.ABORTED,
}
RETRY_AFTER = {"Retry-After": "1"}


def transient(error: RPCError) -> bool:
    """Worth a retry later. A connection the server dropped while a call was on it (the server
    stopped) is reported UNKNOWN, "transport error"."""
    dropped = error.status == RPCStatusCode.UNKNOWN and "transport error" in error.message
    return error.status in TRANSIENT or dropped


def install_api_error_handlers(app: FastAPI) -> None:
    """After the shared handlers: these only add to them."""
    app.add_exception_handler(RPCError, temporal_error)
    app.add_exception_handler(httpx.HTTPError, service_unreachable)
    app.add_exception_handler(ConnectionError, service_unreachable)
    app.add_exception_handler(TimeoutError, service_unreachable)
    if app.exception_handlers.get(RequestValidationError) is request_validation_exception_handler:
        # The shared handlers do not shape validation errors yet: answer DESIGN's shape here.
        app.add_exception_handler(RequestValidationError, invalid_request)


async def temporal_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RPCError)
    if not transient(exc):
        raise exc  # a bug, not an outage: the shared handler answers 500 and logs it
    log.warning("Temporal unavailable on %s %s: %s", request.method, request.url.path, exc)
    message = f"Temporal did not answer ({exc.status.name}); try again later"
    return unavailable("temporal_unavailable", message)


async def service_unreachable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("service unreachable on %s %s: %r", request.method, request.url.path, exc)
    message = f"an internal service is unreachable ({type(exc).__name__}); try again later"
    return unavailable("service_unavailable", message)


def unavailable(code: str, message: str) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=503, headers=RETRY_AFTER)


async def invalid_request(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    body = error_body("invalid_request", "the request is not valid")
    body["error"]["details"] = validation_details(exc)
    return JSONResponse(body, status_code=422)


def validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Where and why, without echoing the input back."""
    return [
        {"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]}
        for error in jsonable_encoder(exc.errors())
    ]
