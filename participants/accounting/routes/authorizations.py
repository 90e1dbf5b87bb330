"""Card authorization (Create Order's pivot); its reversal (Cancel Order's pivot) and revision
(Revise Order's pivot) come from the authorization's state-change table."""

from fastapi.responses import JSONResponse
from sqlmodel import Session

from participant_commands.aggregates import Aggregate
from participant_commands.idempotency import Answer, CommandKey, run_idempotent
from participant_commands.routes import aggregate_router
from participants.accounting.models import (
    AUTHORIZATION_CHANGES,
    Account,
    Authorization,
    AuthorizationPublic,
    AuthorizationRequest,
    AuthorizationState,
    account_not_found,
    card_declined,
    debit,
)
from service_app.web import SessionDep

AUTHORIZATIONS = Aggregate(
    Authorization,
    "authorization",
    id_field="order_id",
    missing="order {id} has no authorization",
    exists="order {id} has an authorization",
    changes=AUTHORIZATION_CHANGES,
)
router = aggregate_router(
    AUTHORIZATIONS, AuthorizationPublic, prefix="/authorizations", id_param="order_id"
)


def _authorize(session: Session, request: AuthorizationRequest) -> Answer:
    AUTHORIZATIONS.ensure_new(session, request.order_id)
    if session.exec(debit(request.consumer_id, request.amount_cents)).rowcount == 1:
        authorized = Authorization.record(request, AuthorizationState.AUTHORIZED)
        return 201, AUTHORIZATIONS.save(session, authorized, "CardAuthorized")
    if session.get(Account, request.consumer_id) is None:
        raise account_not_found(request.consumer_id)
    # The declined authorization and its event are kept, so the answer is not a raised error
    # (that would roll them back) but a business rejection committed with them.
    AUTHORIZATIONS.save(
        session, Authorization.record(request, AuthorizationState.DECLINED), "CardDeclined"
    )
    declined = card_declined(request)
    return declined.status, declined.body()


@router.post("", status_code=201, responses={201: {"model": AuthorizationPublic}})
def authorize_card(
    request: AuthorizationRequest, session: SessionDep, key: CommandKey
) -> JSONResponse:
    """Step 4 of Create Order, the pivot: take the order total from the available credit."""
    return run_idempotent(session, key, lambda: _authorize(session, request))
