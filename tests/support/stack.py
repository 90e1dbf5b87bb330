"""The whole saga stack for end-to-end tests: real dev server, real participants over HTTP on
real databases, a real worker and the real API."""

import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from temporalio.client import Client
from temporalio.worker import Worker

from activities.config import ParticipantUrls
from activities.registry import http_client, saga_activities
from api.config import ApiSettings, SagaSettings
from api.main import create_app as create_api
from audit.config import AuditConfig, AuditSettings
from participants.accounting.config import Settings as AccountingSettings
from participants.accounting.main import create_app as create_accounting
from participants.consumers.config import Settings as ConsumersSettings
from participants.consumers.main import create_app as create_consumers
from participants.kitchen.config import Settings as KitchenSettings
from participants.kitchen.main import create_app as create_kitchen
from participants.orders.config import Settings as OrdersSettings
from participants.orders.main import create_app as create_orders
from temporal_client.connection import TemporalSettings, data_converter
from tests.support.servers import RunningServer, start_server
from worker import WorkerSettings, build_worker

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

# Short retries and deadlines so failure paths finish in seconds.
FAST_SAGAS = SagaSettings(
    step_timeout_seconds=5,
    step_max_attempts=4,
    compensation_max_attempts=3,
    retry_initial_seconds=0.1,
    retry_max_interval_seconds=0.5,
)


@dataclass
class Participants:
    consumers: RunningServer
    orders: RunningServer
    kitchen: RunningServer
    accounting: RunningServer
    view: RunningServer | None = None
    servers: list[RunningServer] = field(default_factory=list)

    def urls(self) -> ParticipantUrls:
        return ParticipantUrls(
            consumers_url=self.consumers.url,
            orders_url=self.orders.url,
            kitchen_url=self.kitchen.url,
            accounting_url=self.accounting.url,
        )

    def stop(self) -> None:
        for server in reversed(self.servers):
            server.stop()


def start_participants(database: Callable[[str], str]) -> Participants:
    """The four participants on real sockets, each on its own database, faults enabled."""
    kitchen = start_server(
        create_kitchen(KitchenSettings(database_url=database("kitchen"), faults_enabled=True))
    )
    consumers = start_server(
        create_consumers(ConsumersSettings(database_url=database("consumers"), faults_enabled=True))
    )
    accounting = start_server(
        create_accounting(
            AccountingSettings(database_url=database("accounting"), faults_enabled=True)
        )
    )
    orders = start_server(create_orders(OrdersSettings(
        database_url=database("orders"), faults_enabled=True, kitchen_url=kitchen.url,
        replica_poll_interval=0.05,
    )))  # fmt: skip
    return Participants(
        consumers, orders, kitchen, accounting, servers=[kitchen, consumers, accounting, orders]
    )


@dataclass
class Stack:
    client: Client
    task_queue: str
    participants: Participants
    api: RunningServer
    http: httpx.AsyncClient

    def api_client(self, token: str | None = TOKEN) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.AsyncClient(base_url=self.api.url, headers=headers, timeout=15)


def start_api(
    client: Client,
    task_queue: str,
    participants: Participants,
    sagas: SagaSettings,
    temporal_options: Mapping[str, Any] | None = None,
) -> RunningServer:
    settings = ApiSettings(
        token=TOKEN,
        tokens={"alice": "alice-token"},
        orders_url=participants.orders.url,
        order_history_url=participants.view.url if participants.view else "http://127.0.0.1:9",
    )
    target = client.service_client.config.target_host
    temporal = TemporalSettings.model_validate(
        {"address": target, "namespace": client.namespace, "task_queue": task_queue}
        | dict(temporal_options or {})
    )
    app = create_api(settings, sagas, temporal)
    app.state.audit_config = AuditConfig(  # the audit reads this stack's services
        urls=participants.urls(),
        settings=AuditSettings(order_history_url=settings.order_history_url),
    )
    return start_server(app)


def with_converter_of(client: Client, temporal_options: Mapping[str, Any]) -> Client:
    """The same connection with the data converter these settings ask for (e.g. encryption)."""
    converter = data_converter(TemporalSettings.model_validate(temporal_options))
    config = client.config()
    config["data_converter"] = converter
    return Client(**config)


@asynccontextmanager
async def saga_worker(
    client: Client, task_queue: str, urls: ParticipantUrls, activities: list[Any] | None = None
) -> AsyncIterator[Worker]:
    async with http_client(urls) as http:
        chosen = activities if activities is not None else saga_activities(http, urls)
        async with build_worker(client, task_queue, chosen, WorkerSettings()) as worker:
            yield worker


@asynccontextmanager
async def running_stack(
    client: Client,
    database: Callable[[str], str],
    sagas: SagaSettings = FAST_SAGAS,
    temporal_options: Mapping[str, Any] | None = None,
) -> AsyncIterator[Stack]:
    """`temporal_options`: more TemporalSettings fields (payload encryption) for the worker's
    client and the API's."""
    task_queue = f"sagas-{uuid.uuid4().hex[:8]}"
    if temporal_options:
        client = with_converter_of(client, temporal_options)
    participants = start_participants(database)
    async with AsyncExitStack() as stack:
        stack.callback(participants.stop)
        await stack.enter_async_context(saga_worker(client, task_queue, participants.urls()))
        api = start_api(client, task_queue, participants, sagas, temporal_options)
        stack.callback(api.stop)
        http = await stack.enter_async_context(httpx.AsyncClient(timeout=15))
        yield Stack(client, task_queue, participants, api, http)
