"""One error shape for every service: {"error": {"code", "message"}} (validation errors add
"details")."""

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from http_contract.headers import BUSINESS_REJECTION

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A business rule said no. `status` is the HTTP status the route answers with."""

    status = 422

    def __init__(self, code: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        if status is not None:
            self.status = status

    def body(self) -> dict[str, Any]:
        return error_body(self.code, self.message)


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    """An illegal state transition or a refused late action."""

    status = 409


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def rejection_headers(status: int, body: Any) -> dict[str, str] | None:
    """The business rejection marker for a domain answer: a 4xx with an error code."""
    if not 400 <= status < 500 or not isinstance(body, dict):
        return None
    error = body.get("error")
    code = error.get("code") if isinstance(error, dict) else None
    return {BUSINESS_REJECTION: str(code)} if code else None


def invalid_request(errors: Sequence[Any]) -> dict[str, Any]:
    """The body of a 422 for a request that fails validation: what is wrong, where."""
    details = [
        {"loc": list(error.get("loc", ())), "msg": error.get("msg", ""), "type": error.get("type")}
        for error in jsonable_encoder(errors)
    ]
    first: dict[str, Any] = details[0] if details else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(part) for part in first["loc"])
    more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
    body = error_body(
        "invalid_request", f"{where}: {first['msg']}{more}" if where else first["msg"]
    )
    body["error"]["details"] = details
    return body


def install_error_handlers(app: FastAPI) -> None:
    """Domain errors, validation errors and HTTP errors answer JSON in the one error shape;
    anything else is a 500 without a trace."""

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(invalid_request(exc.errors()), status_code=422)

    @app.exception_handler(DomainError)
    async def domain_error(_: Request, exc: DomainError) -> JSONResponse:
        headers = rejection_headers(exc.status, exc.body())
        if exc.status == 503:  # an outage: worth asking again shortly
            headers = {**(headers or {}), "Retry-After": "1"}
        return JSONResponse(exc.body(), status_code=exc.status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = "not_found" if exc.status_code == 404 else f"http_{exc.status_code}"
        return JSONResponse(
            error_body(code, str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(error_body("internal_error", "internal error"), status_code=500)
