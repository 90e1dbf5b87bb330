"""The order history view over time: restarts, rebuilds, lag, events it cannot apply."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import Session, select

from event_feed.dead_letters import DeadLetter
from event_feed.outbox import record_event
from service_app.web import engine_of
from storage.engines import make_engine
from tests.conftest import DatabaseFactory
from tests.support.eventually import eventually
from tests.support.order_history import (
    Participants,
    add_stray_row,
    at_least,
    cancel_order,
    client,
    create_order,
    current,
    idle,
    listed,
    open_account,
    open_restaurant,
    rename_restaurant,
    running_view,
    some_history,
    view_contents,
    view_waits_on,
    with_error,
)
from tests.support.participants import answer
from tests.support.servers import free_port, start_server
from views.order_history import rebuild as rebuild_command
from views.order_history.config import Settings
from views.order_history.main import create_app
from views.order_history.rebuild import rebuild

# -- restarts, rebuilds, lag -----------------------------------------------------------------


def test_a_restarted_view_catches_up_without_gaps_or_duplicates(
    participants: Participants, view_settings: Settings
) -> None:
    p = participants
    restaurant_id = open_restaurant(p, "Ajanta")
    consumer_id = open_account(p)
    early = [create_order(p, consumer_id, restaurant_id) for _ in range(3)]
    done: list[str] = []

    def keep_changing() -> None:
        for number in range(8):
            done.append(create_order(p, consumer_id, restaurant_id))
            if number < len(early):
                cancel_order(p, early[number])
        rename_restaurant(p, restaurant_id, "Ajanta Palace")

    view = start_server(create_app(view_settings))
    with ThreadPoolExecutor(1) as pool:
        with client(view) as http:
            eventually(current(http, p, early))
        changes = pool.submit(keep_changing)
        eventually(lambda: at_least(done, 2))
        view.stop()  # while the participants keep changing
        eventually(lambda: at_least(done, 5))
        view = start_server(create_app(view_settings))  # same database, stored cursors
        changes.result()
    everything = early + done
    with client(view) as http:
        eventually(current(http, p, everything))
        history = listed(http, consumer_id, page_size=3)
        names = {order["restaurant_name"] for order in history}
    view.stop()
    assert sorted(order["order_id"] for order in history) == sorted(everything)
    assert names == {"Ajanta Palace"}


def test_rebuild_gives_the_live_view(
    participants: Participants, view_settings: Settings, databases: DatabaseFactory
) -> None:
    p = participants
    everything = some_history(p)
    with running_view(view_settings) as view:
        eventually(current(view, p, everything))
        eventually(lambda: answer(view.get("/readyz"), 200))
        live = view_contents(view_settings.database_url)
    rebuilt = view_settings.model_copy(update={"database_url": databases("rebuilt")})
    progress: list[str] = []
    last_seqs = asyncio.run(rebuild(rebuilt, report=progress.append))
    assert view_contents(rebuilt.database_url) == live
    assert set(last_seqs) == {"orders", "kitchen", "accounting"}
    assert all(seq > 0 for seq in last_seqs.values())
    assert any("caught up" in line for line in progress)


def test_rebuild_command_replaces_the_view_in_place(
    participants: Participants,
    view_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    p = participants
    everything = some_history(p)
    with running_view(view_settings) as view:
        eventually(current(view, p, everything))
    live = view_contents(view_settings.database_url)
    add_stray_row(view_settings.database_url)
    for name, url in view_settings.feed_urls().items():
        monkeypatch.setenv(f"ORDER_HISTORY_{name.upper()}_URL", url)
    rebuild_command.main(["--database-url", view_settings.database_url])
    assert view_contents(view_settings.database_url) == live
    assert "orders: caught up" in capsys.readouterr().out


def test_lag_is_under_a_second_at_idle(participants: Participants, view_settings: Settings) -> None:
    p = participants
    order_id = create_order(p, open_account(p), open_restaurant(p))
    with running_view(view_settings) as view:
        eventually(current(view, p, [order_id]))
        # catching up on old events reports their age; the first empty poll reports the idle lag
        ready = eventually(lambda: idle(answer(view.get("/readyz"), 200)))
    assert ready["status"] == "ok"
    assert set(ready["sources"]) == {"orders", "kitchen", "accounting"}
    for source in ready["sources"].values():
        assert source["caught_up"] and source["last_error"] is None
        assert source["last_seq"] > 0 and source["lag_seconds"] < 1


def test_the_waiting_view_applies_an_order_committed_after_it_began_waiting(
    participants: Participants, view_settings: Settings
) -> None:
    p = participants
    restaurant_id, consumer_id = open_restaurant(p), open_account(p)
    with running_view(view_settings) as view:
        eventually(lambda: view_waits_on(p.orders_app, view))
        order_id = create_order(p, consumer_id, restaurant_id)
        eventually(current(view, p, [order_id]))


def test_an_event_the_view_cannot_apply_is_set_aside_and_later_events_apply(
    participants: Participants, view_settings: Settings
) -> None:
    p = participants
    restaurant_id, consumer_id = open_restaurant(p), open_account(p)
    spoiled = create_order(p, consumer_id, restaurant_id)
    order = answer(p.orders.get(f"/orders/{spoiled}"), 200)
    broken = {key: value for key, value in order.items() if key != "created_at"} | {"state": "X"}
    with Session(engine_of(p.orders_app)) as session:  # a late order event missing a field
        record_event(session, "OrderApproved", "order", spoiled, broken)
        session.commit()
    later = create_order(p, consumer_id, restaurant_id)
    with running_view(view_settings) as view:
        eventually(current(view, p, [spoiled, later]))  # nothing of the bad event remains
        ready = eventually(lambda: idle(answer(view.get("/readyz"), 200)))
    with Session(make_engine(view_settings.database_url)) as session:
        set_aside = list(session.exec(select(DeadLetter)))
    assert [(letter.source, letter.event["payload"]["state"]) for letter in set_aside] == [
        ("orders", "X")
    ]
    assert "created_at" in set_aside[0].error
    assert ready["sources"]["orders"]["dead_letters"] == 1 and ready["dead_letters"] == 1
    assert ready["sources"]["orders"]["last_seq"] > set_aside[0].seq


def test_an_unreachable_feed_makes_the_view_lagging(
    participants: Participants, view_settings: Settings
) -> None:
    nowhere = view_settings.model_copy(update={"accounting_url": f"http://127.0.0.1:{free_port()}"})
    with running_view(nowhere) as view:
        lagging = eventually(lambda: with_error(answer(view.get("/readyz"), 503)))
    assert lagging["status"] == "lagging"
    assert lagging["sources"]["accounting"]["caught_up"] is False
    assert lagging["sources"]["orders"]["last_error"] is None
