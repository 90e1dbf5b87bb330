"""The tables every participant's database holds besides its own."""

from sqlalchemy import Table

from event_feed.outbox import OutboxEvent
from participant_commands.idempotency import IdempotencyRecord
from storage.engines import table_of

SHARED_TABLES: list[Table] = [table_of(OutboxEvent), table_of(IdempotencyRecord)]
