"""Consumers' credit accounts."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from common.errors import Conflict, NotFound
from common.idempotency import Answer, IdempotencyKey, run_idempotent
from common.outbox import record_event
from common.web import SessionDep
from participants.accounting.models import Account, AccountCreate, AccountPublic

router = APIRouter(prefix="/accounts", tags=["accounts"])


@router.post("", status_code=201, response_model=AccountPublic)
def open_account(
    command: AccountCreate, session: SessionDep, key: IdempotencyKey = None
) -> JSONResponse:
    def open_() -> Answer:
        if session.get(Account, command.consumer_id) is not None:
            raise Conflict("account_exists", f"consumer {command.consumer_id} has an account")
        account = Account.open(command)
        session.add(account)
        public = account.public()
        record_event(
            session, "AccountOpened", "account", account.consumer_id, public.model_dump(mode="json")
        )
        return 201, public

    return run_idempotent(session, key, open_)


@router.get("/{consumer_id}", response_model=AccountPublic)
def get_account(consumer_id: str, session: SessionDep) -> AccountPublic:
    account = session.get(Account, consumer_id)
    if account is None:
        raise NotFound("account_not_found", f"consumer {consumer_id} has no account")
    return account.public()
