"""Every PostgreSQL advisory lock id the code base takes, in one place.

Two uses of one id on one database would serialize unrelated work (or deadlock a process that
holds one while it waits for the other), so each lock gets its own id here and nowhere else.
"""

from enum import IntEnum, unique


@unique
class AdvisoryLock(IntEnum):
    OUTBOX = 7_302_611  # writers allocate outbox sequence numbers in commit order
    MIGRATION = 7_302_612  # one schema migration at a time per database
    VIEW_WRITE = 7_302_613  # the order-history view's subscribers write one at a time
