"""The lag of the event feeds a service follows (the orders service's restaurant replica, the
order-history view), as a gauge read when scraped."""

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any

from prometheus_client import Gauge

if TYPE_CHECKING:
    from observability.web import AppMetrics


def subscribers_of(state: Any) -> Iterable[Any]:
    """The feed subscribers an app keeps: `state.replica` (orders), `state.subscribers` (view)."""
    replica = getattr(state, "replica", None)
    found = [replica] if replica is not None else []
    return found + list(getattr(state, "subscribers", {}).values())


def feed_lag(app: Any, metrics: "AppMetrics") -> Callable[[], Awaitable[None]]:
    lag = Gauge(
        "feed_lag_seconds",
        "age of the newest event applied from each followed feed",
        ["source"],
        registry=metrics.registry,
    )
    caught_up = Gauge(
        "feed_caught_up",
        "1 when the follower has read its feed to the end",
        ["source"],
        registry=metrics.registry,
    )

    async def refresh() -> None:
        for subscriber in subscribers_of(app.state):
            status = subscriber.status()
            lag.labels(status.source).set(status.lag_seconds)
            caught_up.labels(status.source).set(1 if status.caught_up else 0)

    return refresh
