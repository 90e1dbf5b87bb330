"""Readiness: the view is ready when every feed is caught up and its lag is small."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from event_feed.subscriber import FeedSubscriber, SubscriberStatus

router = APIRouter(tags=["health"])


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """200 "ok" when every source is caught up within the allowed lag, 503 "lagging" otherwise.
    Events set aside as dead letters are counted (an operator looks at them) but do not make the
    view unready: it has moved past them and is current."""
    subscribers: dict[str, FeedSubscriber] = request.app.state.subscribers
    statuses = [subscriber.status() for subscriber in subscribers.values()]
    max_lag: float = request.app.state.settings.max_lag_seconds
    ready = all(_is_current(status, max_lag) for status in statuses)
    body = {
        "status": "ok" if ready else "lagging",
        "sources": {status.source: _describe(status) for status in statuses},
        "lag_seconds": max((status.lag_seconds for status in statuses), default=0.0),
        "dead_letters": sum(status.dead_letters for status in statuses),
    }
    return JSONResponse(body, status_code=200 if ready else 503)


def _is_current(status: SubscriberStatus, max_lag: float) -> bool:
    return status.caught_up and status.last_error is None and status.lag_seconds <= max_lag


def _describe(status: SubscriberStatus) -> dict[str, Any]:
    return {
        "last_seq": status.last_seq,
        "lag_seconds": status.lag_seconds,
        "caught_up": status.caught_up,
        "last_error": status.last_error,
        "dead_letters": status.dead_letters,
    }
