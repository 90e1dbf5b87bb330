"""Fault injection for tests and benchmarks: a participant answers errors or slowly on demand.

Off unless the service's settings enable it. `POST /_faults` adds a rule, `DELETE /_faults`
clears them all. A rule matches a method and a path regular expression, waits `delay_ms`,
then answers `status` (or lets the request through when `status` is null), `times` times
(for ever when null).
"""

import asyncio
import re
import threading
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from common.errors import error_body


class FaultRule(BaseModel):
    path: str = Field(description="regular expression matched against the whole path")
    method: str | None = None
    status: int | None = Field(default=503, ge=100, le=599)
    delay_ms: int = Field(default=0, ge=0, le=600_000)
    times: int | None = Field(default=None, ge=1)
    code: str = "injected_fault"


class FaultTable:
    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()

    def add(self, rule: FaultRule) -> None:
        re.compile(rule.path)
        with self._lock:
            self._rules.append(rule)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def take(self, method: str, path: str) -> FaultRule | None:
        """The first matching rule, counting one use of it."""
        with self._lock:
            for rule in self._rules:
                if rule.method not in (None, method) or not re.fullmatch(rule.path, path):
                    continue
                if rule.times is not None:
                    rule.times -= 1
                    if rule.times == 0:
                        self._rules.remove(rule)
                return rule
        return None


def install_faults(app: FastAPI) -> FaultTable:
    table = FaultTable()
    router = APIRouter(prefix="/_faults", tags=["faults"])

    @router.post("", status_code=201)
    def add_fault(rule: FaultRule) -> FaultRule:
        table.add(rule)
        return rule

    @router.get("")
    def list_faults() -> list[FaultRule]:
        return table.rules()

    @router.delete("", status_code=204)
    def clear_faults() -> None:
        table.clear()

    @app.middleware("http")
    async def inject(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.url.path.startswith("/_faults"):
            return await call_next(request)
        rule = table.take(request.method, request.url.path)
        if rule is None:
            return await call_next(request)
        if rule.delay_ms:
            await asyncio.sleep(rule.delay_ms / 1000)
        if rule.status is None:
            return await call_next(request)
        return JSONResponse(error_body(rule.code, "injected fault"), status_code=rule.status)

    app.include_router(router)
    return table
