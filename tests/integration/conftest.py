"""Each participant over real HTTP on a fresh database (SQLite and PostgreSQL), as its tests use
it; the saga engine on the dev server with test doubles for its activities."""

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sqlmodel import Session
from temporalio.client import Client

from participants.orders.models import ReplicaRestaurant
from service_app.web import engine_of
from tests.conftest import DatabaseFactory, StartParticipant
from tests.support.doubles import Doubles, Engine, engine_with
from tests.support.participants import MENU, Json, answer, participant_app, running
from tests.support.servers import free_port


@pytest.fixture
def consumers(participant: StartParticipant) -> httpx.Client:
    return participant("consumers")


@pytest.fixture
def accounting(participant: StartParticipant) -> httpx.Client:
    return participant("accounting")


@pytest.fixture
def kitchen(participant: StartParticipant) -> httpx.Client:
    return participant("kitchen")


@pytest.fixture
def ajanta(kitchen: httpx.Client) -> Json:
    """Kitchen's restaurant `ajanta`, open, with the test menu."""
    body = {"id": "ajanta", "name": "Ajanta", "accepting_orders": True, "menu_items": MENU}
    return answer(kitchen.post("/restaurants", json=body), 201)


@pytest.fixture
def orders(database_factory: DatabaseFactory) -> Iterator[httpx.Client]:
    """Orders with `ajanta` in its replica. Kitchen is not running: the tests seed the replica
    themselves (test_replica feeds it)."""
    nowhere = f"http://127.0.0.1:{free_port()}"
    url = database_factory("orders")
    app = participant_app("orders", url, kitchen_url=nowhere, replica_poll_interval=5)
    with running(app) as client:
        with Session(engine_of(app)) as session:
            session.add(ReplicaRestaurant(id="ajanta", name="Ajanta", menu_items=MENU))
            session.commit()
        yield client


@pytest.fixture
async def doubles() -> Doubles:
    return Doubles()


@pytest.fixture
async def engine(temporal_client: Client, doubles: Doubles) -> AsyncIterator[Engine]:
    async with engine_with(temporal_client, doubles) as running:
        yield running
