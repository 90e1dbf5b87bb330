"""The saga a piece of work belongs to, carried in context variables so that every log line
written meanwhile says which saga, step and direction it is about."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

FIELDS = ("saga_id", "saga_type", "step", "direction", "attempt")
_current: ContextVar[dict[str, Any] | None] = ContextVar("saga_log_context", default=None)


def current() -> dict[str, Any]:
    return _current.get() or {}


@contextmanager
def saga_context(**fields: Any) -> Iterator[None]:
    """Add these fields (None ones left out) to the log lines written inside the block."""
    known = {name: value for name, value in fields.items() if value is not None}
    token = _current.set(current() | known)
    try:
        yield
    finally:
        _current.reset(token)


def from_idempotency_key(key: str | None) -> dict[str, str]:
    """`{saga_id}:{step}:{action|compensation}` → the saga fields (a participant's view)."""
    if not key or key.count(":") < 2:
        return {}
    saga_id, step, direction = key.rsplit(":", 2)
    return {"saga_id": saga_id, "step": step, "direction": direction}
