"""Build every saga activity around one shared HTTP client."""

from collections.abc import Callable
from typing import Any

import httpx

from activities.accounting import AccountingActivities
from activities.config import ParticipantUrls
from activities.consumers import ConsumersActivities
from activities.kitchen import KitchenActivities
from activities.orders import OrdersActivities
from activities.participant import Participant
from activities.timeouts import ActivityTimeoutTransport


def http_client(urls: ParticipantUrls) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=urls.max_connections, max_keepalive_connections=100)
    transport = ActivityTimeoutTransport(httpx.AsyncHTTPTransport(limits=limits))
    return httpx.AsyncClient(timeout=urls.http_timeout_seconds, transport=transport)


def saga_activities(http: httpx.AsyncClient, urls: ParticipantUrls) -> list[Callable[..., Any]]:
    orders = OrdersActivities(Participant(http, urls.orders_url))
    consumers = ConsumersActivities(Participant(http, urls.consumers_url))
    kitchen = KitchenActivities(Participant(http, urls.kitchen_url))
    accounting = AccountingActivities(Participant(http, urls.accounting_url))
    return [
        orders.create_order,
        orders.reject_order,
        orders.approve_order,
        orders.begin_cancel,
        orders.undo_cancel,
        orders.confirm_cancel,
        orders.begin_revise,
        orders.undo_revise,
        orders.confirm_revise,
        consumers.verify_consumer,
        kitchen.create_ticket,
        kitchen.reject_ticket,
        kitchen.approve_ticket,
        kitchen.begin_cancel_ticket,
        kitchen.undo_cancel_ticket,
        kitchen.confirm_cancel_ticket,
        kitchen.begin_revise_ticket,
        kitchen.undo_revise_ticket,
        kitchen.confirm_revise_ticket,
        accounting.authorize_card,
        accounting.reverse_authorization,
        accounting.revise_authorization,
    ]
