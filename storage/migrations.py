"""Schema migrations with Alembic: one migration environment per database, `migrations/<service>/`.

    python -m storage.migrations upgrade <service> [--database-url URL]
    python -m storage.migrations current <service> [--database-url URL]
    python -m storage.migrations revision <service> -m "add a column"   # autogenerate (developers)

Without --database-url the service's own setting is used (e.g. CONSUMERS_DATABASE_URL). Every
service also runs `upgrade` for its database when it starts.
"""

import argparse
import importlib
import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate.api import AutogenContext
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, Table, TypeDecorator, inspect, text

import migrations
from storage.engines import is_sqlite, make_engine
from storage.locks import AdvisoryLock

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(migrations.__file__).parent
SERVICES = ("consumers", "orders", "kitchen", "accounting", "order_history")
VERSION_TABLE = "alembic_version"
# Alembic keeps the running environment in a module global: one migration at a time per process
# (tests start several services in one process).
_one_at_a_time = threading.Lock()


def alembic_config(service: str, database_url: str | None = None) -> Config:
    """The Alembic configuration of one service's environment, built in code (no alembic.ini)."""
    if service not in SERVICES:
        raise ValueError(f"no migrations for {service!r}; one of {', '.join(SERVICES)}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR / service))
    config.attributes["database_url"] = database_url  # not an option: a '%' would break it
    return config


def tables_of(service: str) -> list[Table]:
    """The tables the service's database holds, as its migration environment declares them."""
    tables: list[Table] = importlib.import_module(f"migrations.{service}").TABLES
    return tables


def upgrade(service: str, database_url: str) -> None:
    """Bring the service's database to the newest revision; a no-op when it is there already."""
    config = alembic_config(service, database_url)
    with _one_at_a_time:
        adopt_unversioned(config, database_url)
        command.upgrade(config, "head")


def adopt_unversioned(config: Config, database_url: str) -> None:
    """A database whose tables were created before migrations existed gets the first revision
    stamped instead of failing on tables that already exist; later revisions then apply."""
    engine = make_engine(database_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    if tables and VERSION_TABLE not in tables:
        base = ScriptDirectory.from_config(config).get_base()
        log.warning("database has tables but no migration history: stamping revision %s", base)
        command.stamp(config, base or "base")


def schema_of(tables: Sequence[Table]) -> MetaData:
    """Only these tables: the shared SQLModel metadata holds every service's tables."""
    metadata = MetaData()
    for table in tables:
        table.to_metadata(metadata)
    return metadata


def render_item(kind: str, item: Any, _: AutogenContext) -> str | bool:
    """Write column types of our own (UtcDateTime, SQLModel's AutoString) as the plain
    SQLAlchemy types they store as, so revisions never import application code."""
    if kind == "type" and isinstance(item, TypeDecorator):
        return f"sa.{item.impl!r}"
    return False


def run_migrations(tables: Sequence[Table], default_url: Callable[[], str]) -> None:
    """The body of every env.py: migrate `tables` on the configured or the default database."""
    from alembic import context  # only importable while Alembic runs an environment

    url = context.config.attributes.get("database_url") or default_url()
    options: dict[str, Any] = {
        "target_metadata": schema_of(tables),
        "render_item": render_item,
        "render_as_batch": is_sqlite(url),  # SQLite alters tables by copying them
        "compare_type": True,
    }
    if context.is_offline_mode():
        context.configure(url=url, literal_binds=True, **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, **options)
            with context.begin_transaction():
                lock_migrations(connection)
                context.run_migrations()
    finally:
        engine.dispose()


def lock_migrations(connection: Connection) -> None:
    """Two replicas starting together: the second waits, then finds the schema current.
    (SQLite needs nothing: its write transactions begin immediately and queue.)"""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(:id)"), {"id": AdvisoryLock.MIGRATION}
        )


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    config = alembic_config(args.service, args.database_url)
    if args.command == "upgrade":
        if args.database_url:
            adopt_unversioned(config, args.database_url)
        command.upgrade(config, "head")
    elif args.command == "current":
        command.current(config, verbose=True)
    else:
        _configure_formatting(config)
        command.revision(config, message=args.message, autogenerate=True)


def _configure_formatting(config: Config) -> None:
    """New revisions pass the linters as generated."""
    config.set_section_option("post_write_hooks", "hooks", "ruff_fix, ruff_format")
    for hook, options in (("ruff_fix", "check --fix"), ("ruff_format", "format")):
        config.set_section_option("post_write_hooks", f"{hook}.type", "module")
        config.set_section_option("post_write_hooks", f"{hook}.module", "ruff")
        config.set_section_option(
            "post_write_hooks", f"{hook}.options", f"{options} REVISION_SCRIPT_FILENAME"
        )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m storage.migrations")
    parser.add_argument("command", choices=["upgrade", "current", "revision"])
    parser.add_argument("service", choices=SERVICES)
    parser.add_argument("--database-url", help="default: the service's DATABASE_URL setting")
    parser.add_argument("-m", "--message", default="schema change", help="revision message")
    return parser


if __name__ == "__main__":
    main()
