"""The order-history view's tests share one set of participants per database kind."""

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from tests.conftest import DATABASE_KINDS, DatabaseFactory, database_urls
from tests.support.order_history import Participants, client
from tests.support.participants import participant_app
from tests.support.servers import RunningServer, serve
from views.order_history.config import Settings


@pytest.fixture(scope="module", params=DATABASE_KINDS)
def databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DatabaseFactory]:
    """`database_factory` for a whole module, so that its tests share one set of participants
    (every test uses its own ids) and pay for starting them once per database kind."""
    with database_urls(request.param, tmp_path_factory.mktemp("databases")) as factory:
        yield factory


@pytest.fixture(scope="module")
def participants(databases: DatabaseFactory) -> Iterator[Participants]:
    with ExitStack() as stack:

        def start(name: str, **settings: Any) -> RunningServer:
            app = participant_app(name, databases(name), faults_enabled=False, **settings)
            return stack.enter_context(serve(app))

        kitchen = start("kitchen")
        orders, accounting = start("orders", kitchen_url=kitchen.url), start("accounting")
        clients = [stack.enter_context(client(s)) for s in (orders, kitchen, accounting)]
        yield Participants(clients[0], clients[1], clients[2], orders.app)


@pytest.fixture
def view_settings(databases: DatabaseFactory, participants: Participants) -> Settings:
    """A fresh, empty view following the shared participants."""
    return Settings(
        database_url=databases("view"),
        orders_url=str(participants.orders.base_url),
        kitchen_url=str(participants.kitchen.base_url),
        accounting_url=str(participants.accounting.base_url),
    )
