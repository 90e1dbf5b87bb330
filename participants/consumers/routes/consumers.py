"""Consumer registration, status changes and the verification step of Create Order."""

from fastapi.responses import JSONResponse

from participant_commands.aggregates import Aggregate
from participant_commands.idempotency import Answer, CommandKey, run_idempotent
from participant_commands.routes import Creation, aggregate_router
from participants.consumers.models import (
    Consumer,
    ConsumerCreate,
    ConsumerPublic,
    StatusChange,
    Verification,
    VerifyRequest,
    verified,
)
from service_app.web import SessionDep

CONSUMERS = Aggregate(Consumer, "consumer")

CREATE = Creation(
    ConsumerCreate, lambda _, command: Consumer.register(command), "ConsumerCreated", id_from="id"
)

router = aggregate_router(
    CONSUMERS, ConsumerPublic, prefix="/consumers", id_param="consumer_id", create=CREATE
)


@router.post("/{consumer_id}/status", responses={200: {"model": ConsumerPublic}})
def change_status(
    consumer_id: str, change: StatusChange, session: SessionDep, key: CommandKey
) -> JSONResponse:
    """Suspend or reactivate a consumer; no event when its status stays the same."""
    apply = lambda consumer: consumer.change_status(change.status)  # noqa: E731
    return CONSUMERS.forward(session, key, consumer_id, apply, "ConsumerStatusChanged")


@router.post("/{consumer_id}/verify", responses={200: {"model": Verification}})
def verify(
    consumer_id: str,
    session: SessionDep,
    key: CommandKey,
    details: VerifyRequest | None = None,
) -> JSONResponse:
    """Step 2 of Create Order: may this consumer place an order?"""
    context = (details or VerifyRequest()).model_dump()

    def check() -> Answer:
        consumer = verified(CONSUMERS.fetch(session, consumer_id), consumer_id)
        CONSUMERS.save(session, consumer, "ConsumerVerified", **context)
        return 200, Verification(consumer_id=consumer.id)

    return run_idempotent(session, key, check)
