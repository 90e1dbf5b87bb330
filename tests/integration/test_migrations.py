"""Every database's migrations, on SQLite and on PostgreSQL: an empty database gets the schema,
a second run changes nothing, and the migrated schema is exactly what the models describe."""

import subprocess
import sys
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from storage.engines import make_engine
from storage.migrations import (
    SERVICES,
    VERSION_TABLE,
    alembic_config,
    main,
    schema_of,
    tables_of,
    upgrade,
)
from tests.conftest import DatabaseFactory
from tests.support.databases import postgres_database, require_postgres


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def current_revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def head_revision(service: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(service)).get_current_head()


def schema_differences(service: str, url: str) -> list[Any]:
    """What autogenerate would still write: nothing, when migrations and models agree."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, schema_of(tables_of(service))))
    finally:
        engine.dispose()


def model_tables(service: str) -> set[str]:
    return {table.name for table in tables_of(service)}


@pytest.mark.parametrize("service", SERVICES)
def test_an_empty_database_gets_the_schema_of_the_models(
    service: str, database_factory: DatabaseFactory
) -> None:
    url = database_factory(f"migrate_{service}")
    upgrade(service, url)
    assert table_names(url) == model_tables(service) | {VERSION_TABLE}
    assert current_revision(url) == head_revision(service)
    assert schema_differences(service, url) == []


@pytest.mark.parametrize("service", SERVICES)
def test_a_second_upgrade_changes_nothing(service: str, database_factory: DatabaseFactory) -> None:
    url = database_factory(f"again_{service}")
    upgrade(service, url)
    upgrade(service, url)
    assert current_revision(url) == head_revision(service)
    assert schema_differences(service, url) == []


@pytest.mark.parametrize("service", SERVICES)
def test_downgrade_to_base_and_up_again(service: str, database_factory: DatabaseFactory) -> None:
    url = database_factory(f"down_{service}")
    upgrade(service, url)
    command.downgrade(alembic_config(service, url), "base")
    assert table_names(url) == {VERSION_TABLE}
    upgrade(service, url)
    assert schema_differences(service, url) == []


def test_a_database_created_before_migrations_is_adopted(database_factory: DatabaseFactory) -> None:
    url = database_factory("adopted_kitchen")
    config = alembic_config("kitchen", url)
    # The schema such a database has: the first revision's, without any migration history.
    command.upgrade(config, ScriptDirectory.from_config(config).get_base() or "base")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP TABLE {VERSION_TABLE}"))
    engine.dispose()
    upgrade("kitchen", url)
    assert current_revision(url) == head_revision("kitchen")
    assert schema_differences("kitchen", url) == []


def test_the_operator_command_migrates_a_database(database_factory: DatabaseFactory) -> None:
    url = database_factory("cli_accounting")
    main(["upgrade", "accounting", "--database-url", url])
    main(["upgrade", "accounting", "--database-url", url])
    assert current_revision(url) == head_revision("accounting")


@pytest.mark.postgres
def test_replicas_starting_together_migrate_once() -> None:
    """Separate processes, as replicas are (Alembic's context is one per process)."""
    require_postgres()
    with postgres_database("saga_test_concurrent_orders") as url:
        command_line = [sys.executable, "-m", "storage.migrations", "upgrade", "orders"]
        replicas = [
            subprocess.Popen(
                [*command_line, "--database-url", url], stderr=subprocess.PIPE, text=True
            )
            for _ in range(4)
        ]
        logs = [replica.communicate(timeout=120)[1] for replica in replicas]
        assert [replica.returncode for replica in replicas] == [0, 0, 0, 0], logs
        assert current_revision(url) == head_revision("orders")
        assert schema_differences("orders", url) == []
