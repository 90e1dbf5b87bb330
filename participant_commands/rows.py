"""An aggregate's records read and written with SQLAlchemy Core statements built once.

A command loads one record, changes it and writes it back with its event: the ORM's identity map
and unit of work cost more than the statements themselves. A record read here is an instance of
its model that no session tracks; setting its attributes still notes which ones changed, so
`write` updates only those (a new record is inserted whole).
"""

from typing import Any

from sqlalchemy import (
    Connection,
    Insert,
    Select,
    Update,
    bindparam,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy import inspect as inspect_mapper
from sqlalchemy.orm.base import instance_state
from sqlalchemy.orm.instrumentation import manager_of_class
from sqlmodel import SQLModel

from storage.engines import table_of

_READ = "core_row"  # InstanceState.info key: the record was read (or written) here
_ID = "record_id"  # the bound parameter naming the record in statements by id


class Rows:
    """The statements of one aggregate's table, and records made from its rows."""

    def __init__(self, model: type[SQLModel], id_field: str) -> None:
        table = table_of(model)
        mapper = inspect_mapper(model)
        # (column name, attribute name) of every column, in the table's order
        self.fields = [(c.name, mapper.get_property_by_column(c).key) for c in table.columns]
        id_column = table.c[id_field]
        self.id_key = mapper.get_property_by_column(id_column).key
        by_id = select(*table.columns).where(id_column == bindparam(_ID))
        self.select: Select[Any] = by_id
        self.select_for_update: Select[Any] = by_id.with_for_update()
        self.insert: Insert = insert(table)
        self.exists: Select[Any] = select(literal_column("1")).where(id_column == bindparam(_ID))
        self.update: Update = update(table).where(id_column == bindparam(_ID))
        self.manager = manager_of_class(model)

    def fetch(self, connection: Connection, record_id: str, *, for_update: bool) -> Any | None:
        """The record with this id, or None; on PostgreSQL `for_update` locks its row."""
        statement = self.select_for_update if for_update else self.select
        row = connection.execute(statement, {_ID: record_id}).first()
        if row is None:
            return None
        record = self.manager.new_instance()  # as the ORM builds a loaded instance
        values = record.__dict__
        for (_, key), value in zip(self.fields, row, strict=True):
            values[key] = value
        instance_state(record).info[_READ] = True
        return record

    def write(self, connection: Connection, record: Any) -> None:
        """Insert a new record; update the columns of a read one that were set since."""
        state = instance_state(record)
        if not state.info.get(_READ):
            row = {name: getattr(record, key) for name, key in self.fields}
            connection.execute(self.insert, row)
            state.info[_READ] = True
        else:
            changed = {
                name: state.dict[key] for name, key in self.fields if key in state.committed_state
            }
            if changed:
                connection.execute(self.update, {_ID: state.dict[self.id_key], **changed})
        state.committed_state.clear()

    def has(self, connection: Connection, record_id: str) -> bool:
        """Whether a record has this id (none is loaded)."""
        return connection.execute(self.exists, {_ID: record_id}).first() is not None

    @staticmethod
    def is_ours(record: Any) -> bool:
        """Whether `record` is written here (read here, or new), not by a session."""
        return instance_state(record).session_id is None
