"""`saga status --watch`: a live step table fed by the saga's event stream (SSE), or by long
polls where the API has no stream."""

import asyncio
import json
import time
from collections.abc import AsyncIterator

import httpx
from httpx_sse import aconnect_sse
from rich.console import Console
from rich.live import Live

from cli import render
from cli.api import Api, Json, check, unreachable

LONG_POLL_SECONDS = 20
STREAM_TIMEOUT = httpx.Timeout(10.0, read=None)
# A long poll answers at once for a saga in NEEDS_ATTENTION (and an API without long polls
# always does): wait this long before asking again.
QUIET_POLL_SECONDS = 1.0


async def watch(api: Api, saga_id: str, console: Console) -> Json:
    """Show the saga until it reaches a terminal status; return its last body."""
    saga = await api.get(f"/sagas/{saga_id}")  # an unknown saga fails here, before the stream
    if not console.is_terminal:  # piped: one table per change, so that the log keeps each one
        console.print(render.saga_steps(saga))
        async for saga in changes(api, saga_id, saga):  # noqa: B020 - the last one is returned
            console.print(render.saga_steps(saga))
        return saga
    with Live(render.saga_steps(saga), console=console, auto_refresh=False) as live:
        async for change in changes(api, saga_id, saga):
            saga = change
            live.update(render.saga_steps(saga), refresh=True)
    return saga


async def changes(api: Api, saga_id: str, first: Json) -> AsyncIterator[Json]:
    last = first
    try:
        if last["status"] not in render.TERMINAL:
            async for last in stream(api, saga_id):
                yield last
    except NoStream:
        pass
    if last["status"] not in render.TERMINAL:  # no stream, or it ended early (API restart)
        async for saga in long_polls(api, saga_id):
            yield saga


class NoStream(Exception):
    """The API does not serve GET /sagas/{id}/events."""


async def stream(api: Api, saga_id: str) -> AsyncIterator[Json]:
    try:
        path = f"/sagas/{saga_id}/events"
        # A stream may be quiet for long (a slow step, NEEDS_ATTENTION): no read timeout.
        async with aconnect_sse(api.http, "GET", path, timeout=STREAM_TIMEOUT) as source:
            if source.response.status_code in (404, 405):
                raise NoStream
            check(source.response)
            async for event in source.aiter_sse():
                if event.event == "saga":
                    yield json.loads(event.data)
    except httpx.TransportError as error:
        raise unreachable(api.url, error) from error


async def long_polls(api: Api, saga_id: str) -> AsyncIterator[Json]:
    last: Json | None = None
    while True:
        asked = time.monotonic()
        saga = await api.get(f"/sagas/{saga_id}", wait_seconds=LONG_POLL_SECONDS)
        if saga != last:
            yield saga
        last = saga
        if saga["status"] in render.TERMINAL:
            return
        await asyncio.sleep(max(0.0, QUIET_POLL_SECONDS - (time.monotonic() - asked)))
