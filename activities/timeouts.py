"""The HTTP read timeout follows the activity's start-to-close timeout.

A pivot is retried in rounds with a growing start-to-close timeout, so that a participant that is
consistently slower than the step timeout is answered eventually: the client's own read timeout
must not cut such a call shorter than the activity may run.
"""

import httpx
from temporalio import activity


class ActivityTimeoutTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if activity.in_activity():
            allowed = activity.info().start_to_close_timeout
            timeout = dict(request.extensions.get("timeout") or {})
            read = timeout.get("read")
            if allowed is not None and read is not None and read < allowed.total_seconds():
                timeout["read"] = allowed.total_seconds()
                request.extensions["timeout"] = timeout
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()
