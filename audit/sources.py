"""Reading a service's internal list (contract C) page by page, in id order."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from audit.records import Record

R = TypeVar("R", bound=Record)


class SourceUnavailable(Exception):
    """A service could not be read: the audit has no answer (not a violation)."""


@dataclass(frozen=True)
class Source:
    name: str
    url: str  # e.g. http://127.0.0.1:8102/internal/orders


async def records(
    http: httpx.AsyncClient, source: Source, shape: type[R], page_size: int
) -> AsyncIterator[R]:
    """Every record of `source`, one page in memory at a time."""
    after: str | None = None
    while True:
        page = await _page(http, source, after, page_size)
        for item in page["items"]:
            yield shape.model_validate(item)
        after = page["next_after"]
        if after is None:
            return


async def _page(
    http: httpx.AsyncClient, source: Source, after: str | None, limit: int
) -> dict[str, Any]:
    params: dict[str, str | int] = {"limit": limit} | ({"after": after} if after else {})
    try:
        response = await http.get(source.url, params=params)
    except httpx.HTTPError as error:
        raise SourceUnavailable(f"{source.name}: {type(error).__name__}") from error
    if response.status_code != 200:
        raise SourceUnavailable(f"{source.name} answered {response.status_code}")
    page: dict[str, Any] = response.json()
    return page
