"""Join lists sorted by order id, like a merge join: one record of each list in memory."""

from collections.abc import AsyncIterator, Mapping
from typing import Any


class OutOfOrder(Exception):
    """A list was not sorted by order id: the join would miss records."""


async def join_by_order(
    streams: Mapping[str, AsyncIterator[Any]],
) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    """(order id, {list name: its record}) for every order id in any list, in order."""
    heads = {name: await _next(stream, None) for name, stream in streams.items()}
    while present := [head.order_id for head in heads.values() if head is not None]:
        order_id = min(present)
        group = {}
        for name, head in heads.items():
            if head is not None and head.order_id == order_id:
                group[name] = head
                heads[name] = await _next(streams[name], order_id)
        yield order_id, group


async def _next(stream: AsyncIterator[Any], previous: str | None) -> Any:
    record = await anext(stream, None)
    if record is not None and previous is not None and record.order_id <= previous:
        raise OutOfOrder(f"{record.order_id!r} came after {previous!r}")
    return record
