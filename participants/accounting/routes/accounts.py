"""Consumers' credit accounts."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from participant_commands.aggregates import Aggregate
from participant_commands.idempotency import CommandKey
from participants.accounting.models import Account, AccountCreate, AccountPublic
from service_app.web import ReadSessionDep, SessionDep

router = APIRouter(prefix="/accounts", tags=["accounts"])

ACCOUNTS = Aggregate(
    Account,
    "account",
    id_field="consumer_id",
    missing="consumer {id} has no account",
    exists="consumer {id} has an account",
)


@router.post("", status_code=201, response_model=AccountPublic)
def open_account(command: AccountCreate, session: SessionDep, key: CommandKey) -> JSONResponse:
    return ACCOUNTS.create(
        session, key, command.consumer_id, lambda: Account.open(command), "AccountOpened"
    )


@router.get("/{consumer_id}", response_model=AccountPublic)
def get_account(consumer_id: str, session: ReadSessionDep) -> AccountPublic:
    return ACCOUNTS.load(session, consumer_id).public()
