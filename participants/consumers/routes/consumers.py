"""Consumer registration, status changes and the verification step of Create Order."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlmodel import Session

from common.errors import Conflict, NotFound
from common.idempotency import Answer, IdempotencyKey, run_idempotent
from common.outbox import record_event
from common.web import SessionDep
from participants.consumers.models import (
    Consumer,
    ConsumerCreate,
    ConsumerPublic,
    StatusChange,
    Verification,
    VerifyRequest,
    verified,
)

router = APIRouter(prefix="/consumers", tags=["consumers"])


def _load(session: Session, consumer_id: str) -> Consumer:
    consumer = session.get(Consumer, consumer_id, with_for_update=True)
    if consumer is None:
        raise NotFound("consumer_not_found", f"consumer {consumer_id} not found")
    return consumer


def _record(session: Session, consumer: Consumer, event_type: str, **context: object) -> None:
    payload = consumer.public().model_dump(mode="json") | context
    record_event(session, event_type, "consumer", consumer.id, payload)


@router.post("", status_code=201, response_model=ConsumerPublic)
def create_consumer(
    command: ConsumerCreate, session: SessionDep, key: IdempotencyKey = None
) -> JSONResponse:
    def register() -> Answer:
        if command.id is not None and session.get(Consumer, command.id) is not None:
            raise Conflict("consumer_exists", f"consumer {command.id} exists already")
        consumer = Consumer.register(command)
        session.add(consumer)
        _record(session, consumer, "ConsumerCreated")
        return 201, consumer.public()

    return run_idempotent(session, key, register)


@router.get("/{consumer_id}", response_model=ConsumerPublic)
def get_consumer(consumer_id: str, session: SessionDep) -> ConsumerPublic:
    consumer = session.get(Consumer, consumer_id)
    if consumer is None:
        raise NotFound("consumer_not_found", f"consumer {consumer_id} not found")
    return consumer.public()


@router.post("/{consumer_id}/status", response_model=ConsumerPublic)
def change_status(
    consumer_id: str, change: StatusChange, session: SessionDep, key: IdempotencyKey = None
) -> JSONResponse:
    """Suspend or reactivate a consumer."""

    def apply() -> Answer:
        consumer = _load(session, consumer_id)
        if consumer.change_status(change.status):
            session.add(consumer)
            _record(session, consumer, "ConsumerStatusChanged")
        return 200, consumer.public()

    return run_idempotent(session, key, apply)


@router.post("/{consumer_id}/verify", response_model=Verification)
def verify(
    consumer_id: str,
    session: SessionDep,
    details: VerifyRequest | None = None,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Step 2 of Create Order: may this consumer place an order?"""
    context = (details or VerifyRequest()).model_dump()

    def check() -> Answer:
        consumer = verified(session.get(Consumer, consumer_id), consumer_id)
        _record(session, consumer, "ConsumerVerified", **context)
        return 200, Verification(consumer_id=consumer.id)

    return run_idempotent(session, key, check)
