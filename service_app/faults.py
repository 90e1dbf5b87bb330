"""Fault injection for tests and benchmarks: a participant fails, answers late or waits on demand.

Off unless the service's settings enable it. `POST /_faults` adds a rule and answers it with its
`id`; `GET /_faults` lists the rules with `held` (requests waiting on the rule now) and `hits`;
`DELETE /_faults` clears them all and lets every held request go; `POST /_faults/{id}/release`
lets the requests held by one rule go (and retires the rule, so later requests pass).

A rule matches a method and a path regular expression, `times` times (for ever when null). Acting
`before` the request runs, it waits (`delay_ms`, then the `hold` latch) and answers `status` - or
lets the request through when `status` is null. Acting `after`, the request runs and commits first;
then the wait, then `status` replaces the real answer (a lost answer), `drop` closes the connection
instead, and a null `status` delivers the real answer late. With `sql`, the hold happens inside the
request's transaction instead: before the first statement whose text or parameters match `sql`.
An injected answer is a technical failure, unless `business` makes it a business rejection.
"""

import asyncio
import contextvars
import itertools
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Literal

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine, event
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from http_contract.errors import NotFound, error_body, rejection_headers


class FaultSpec(BaseModel):
    path: str = Field(description="regular expression matched against the whole path")
    method: str | None = None
    times: int | None = Field(default=None, ge=1)
    status: int | None = Field(default=503, ge=100, le=599)
    delay_ms: int = Field(default=0, ge=0, le=600_000)
    when: Literal["before", "after"] = "before"
    drop: bool = False
    hold: bool = False
    sql: str | None = Field(
        default=None, description="hold inside the transaction, before the first matching statement"
    )
    code: str = "injected_fault"
    business: bool = Field(
        default=False, description="answer `status` as a business rejection (with its marker)"
    )


class FaultRule(FaultSpec):
    """A rule as listed: its spec, its id and what it did so far."""

    id: str
    held: int
    hits: int


@dataclass
class Rule:
    spec: FaultSpec
    id: str
    pattern: re.Pattern[str]
    statement: re.Pattern[str] | None
    hits: int = 0
    held: int = 0
    released: threading.Event = field(default_factory=threading.Event)
    # Requests held in the event loop: woken from whichever thread releases the rule.
    _waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def matches(self, method: str, path: str) -> bool:
        spent = self.spec.times is not None and self.hits >= self.spec.times
        usable = not self.released.is_set() and not spent
        return usable and self.spec.method in (None, method) and bool(self.pattern.fullmatch(path))

    def release(self) -> None:
        with self._lock:
            self.released.set()
            waiters, self._waiters = self._waiters, []
        for loop, woken in waiters:
            loop.call_soon_threadsafe(woken.set)

    def wait(self) -> None:
        """Block this thread until the rule is released (for holds inside a transaction)."""
        self._count_held(+1)
        try:
            self.released.wait()
        finally:
            self._count_held(-1)

    async def pause(self) -> None:
        """Wait `delay_ms`, then on the latch when the rule holds."""
        if self.spec.delay_ms:
            await asyncio.sleep(self.spec.delay_ms / 1000)
        if not self.spec.hold or self.statement is not None:
            return
        woken = asyncio.Event()
        with self._lock:
            if self.released.is_set():
                return
            self._waiters.append((asyncio.get_running_loop(), woken))
        self._count_held(+1)
        try:
            await woken.wait()
        finally:
            self._count_held(-1)

    def _count_held(self, change: int) -> None:
        with self._lock:
            self.held += change

    def public(self) -> FaultRule:
        return FaultRule(**self.spec.model_dump(), id=self.id, held=self.held, hits=self.hits)


class FaultTable:
    def __init__(self) -> None:
        self._rules: list[Rule] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def add(self, spec: FaultSpec) -> Rule:
        rule = Rule(spec, f"fault-{next(self._ids)}", re.compile(spec.path), _compiled(spec.sql))
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            rules, self._rules = self._rules, []
        for rule in rules:
            rule.release()

    def release(self, rule_id: str) -> Rule:
        with self._lock:
            rule = next((rule for rule in self._rules if rule.id == rule_id), None)
        if rule is None:
            raise NotFound("fault_not_found", f"no fault rule {rule_id}")
        rule.release()
        return rule

    def rules(self) -> list[Rule]:
        with self._lock:
            return list(self._rules)

    def take(self, method: str, path: str) -> Rule | None:
        """The first matching rule, counting one use of it."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path):
                    rule.hits += 1
                    return rule
        return None


def _compiled(pattern: str | None) -> re.Pattern[str] | None:
    return None if pattern is None else re.compile(pattern)


class DroppedConnection(Exception):
    """Raised after the answer has started: the server closes the connection mid-answer."""


@dataclass
class SqlLatch:
    """The `sql` rule of the request running in this context; it holds once per request."""

    rule: Rule
    spent: bool = False


CURRENT_LATCH: contextvars.ContextVar[SqlLatch | None] = contextvars.ContextVar(
    "fault_sql_latch", default=None
)


def hold_at_statement(statement: str, parameters: Any) -> None:
    """Engine hook: hold the current request before the statement its `sql` rule names."""
    latch = CURRENT_LATCH.get()
    if latch is None or latch.spent or latch.rule.statement is None:
        return
    if latch.rule.statement.search(statement) or latch.rule.statement.search(str(parameters)):
        latch.spent = True
        latch.rule.wait()


class FaultMiddleware:
    """Plain ASGI middleware: it must see the answer before it is sent, and be able to drop it."""

    def __init__(self, app: ASGIApp, table: FaultTable) -> None:
        self.app, self.table = app, table

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        rule = None
        if scope["type"] == "http" and not scope["path"].startswith("/_faults"):
            rule = self.table.take(scope["method"], scope["path"])
        if rule is None:
            await self.app(scope, receive, send)
        elif rule.statement is not None:
            token = CURRENT_LATCH.set(SqlLatch(rule))
            try:
                await self.app(scope, receive, send)
            finally:
                CURRENT_LATCH.reset(token)
        elif rule.spec.when == "before":
            await rule.pause()
            await self._finish(rule, scope, receive, send, [])
        else:
            answer: list[Message] = []

            async def keep(message: Message) -> None:
                answer.append(message)

            await self.app(scope, receive, keep)
            await rule.pause()
            await self._finish(rule, scope, receive, send, answer)

    async def _finish(
        self, rule: Rule, scope: Scope, receive: Receive, send: Send, answer: list[Message]
    ) -> None:
        """Drop the connection, answer the injected status, or deliver the real answer."""
        if rule.spec.drop:
            await send({"type": "http.response.start", "status": 200, "headers": []})
            raise DroppedConnection(f"fault {rule.id} drops {scope['path']}")
        if rule.spec.status is not None:
            body = error_body(rule.spec.code, "injected fault")
            headers = rejection_headers(rule.spec.status, body) if rule.spec.business else None
            response = JSONResponse(body, status_code=rule.spec.status, headers=headers)
            await response(scope, receive, send)
        elif answer:
            for message in answer:
                await send(message)
        else:
            await self.app(scope, receive, send)


def install_faults(app: FastAPI) -> FaultTable:
    table = FaultTable()
    router = APIRouter(prefix="/_faults", tags=["faults"])

    @router.post("", status_code=201)
    def add_fault(spec: FaultSpec) -> FaultRule:
        return table.add(spec).public()

    @router.get("")
    def list_faults() -> list[FaultRule]:
        return [rule.public() for rule in table.rules()]

    @router.delete("", status_code=204)
    def clear_faults() -> None:
        table.clear()

    @router.post("/{rule_id}/release")
    def release_fault(rule_id: str) -> FaultRule:
        return table.release(rule_id).public()

    engine: Engine = app.state.engine
    event.listen(engine, "before_cursor_execute", _statement_hook)
    app.add_middleware(FaultMiddleware, table=table)
    app.include_router(router)
    return table


def _statement_hook(
    _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
) -> None:
    hold_at_statement(statement, parameters)
