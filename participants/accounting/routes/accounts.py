"""Consumers' credit accounts."""

from participant_commands.aggregates import Aggregate
from participant_commands.routes import Creation, aggregate_router
from participants.accounting.models import Account, AccountCreate, AccountPublic

ACCOUNTS = Aggregate(
    Account,
    "account",
    id_field="consumer_id",
    missing="consumer {id} has no account",
    exists="consumer {id} has an account",
)

CREATE = Creation(
    AccountCreate, lambda _, command: Account.open(command), "AccountOpened", id_from="consumer_id"
)

router = aggregate_router(
    ACCOUNTS, AccountPublic, prefix="/accounts", id_param="consumer_id", create=CREATE
)
