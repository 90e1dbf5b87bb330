"""Consumer registration, status changes and the verification step of Create Order."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from participant_commands.aggregates import Aggregate
from participant_commands.idempotency import Answer, CommandKey, run_idempotent
from participants.consumers.models import (
    Consumer,
    ConsumerCreate,
    ConsumerPublic,
    StatusChange,
    Verification,
    VerifyRequest,
    verified,
)
from service_app.web import ReadSessionDep, SessionDep

router = APIRouter(prefix="/consumers", tags=["consumers"])

CONSUMERS = Aggregate(Consumer, "consumer")


@router.post("", status_code=201, response_model=ConsumerPublic)
def create_consumer(command: ConsumerCreate, session: SessionDep, key: CommandKey) -> JSONResponse:
    return CONSUMERS.create(
        session, key, command.id, lambda: Consumer.register(command), "ConsumerCreated"
    )


@router.get("/{consumer_id}", response_model=ConsumerPublic)
def get_consumer(consumer_id: str, session: ReadSessionDep) -> ConsumerPublic:
    return CONSUMERS.load(session, consumer_id).public()


@router.post("/{consumer_id}/status", response_model=ConsumerPublic)
def change_status(
    consumer_id: str, change: StatusChange, session: SessionDep, key: CommandKey
) -> JSONResponse:
    """Suspend or reactivate a consumer."""

    def apply() -> Answer:
        consumer = CONSUMERS.load(session, consumer_id, for_update=True)
        if consumer.change_status(change.status):
            CONSUMERS.save(session, consumer, "ConsumerStatusChanged")
        return 200, consumer.public()

    return run_idempotent(session, key, apply)


@router.post("/{consumer_id}/verify", response_model=Verification)
def verify(
    consumer_id: str,
    session: SessionDep,
    key: CommandKey,
    details: VerifyRequest | None = None,
) -> JSONResponse:
    """Step 2 of Create Order: may this consumer place an order?"""
    context = (details or VerifyRequest()).model_dump()

    def check() -> Answer:
        consumer = verified(session.get(Consumer, consumer_id), consumer_id)
        CONSUMERS.save(session, consumer, "ConsumerVerified", **context)
        return 200, Verification(consumer_id=consumer.id)

    return run_idempotent(session, key, check)
