"""Card authorization (Create Order's pivot) and its reversal (Cancel Order's pivot)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlmodel import Session

from participant_commands.aggregates import Aggregate
from participant_commands.idempotency import Answer, CommandKey, run_idempotent
from participants.accounting.models import (
    Account,
    Authorization,
    AuthorizationPublic,
    AuthorizationRequest,
    AuthorizationRevise,
    AuthorizationState,
    account_not_found,
    card_declined,
    credit,
    debit,
    not_reversible,
    not_revisable,
    revise,
    revision_declined,
)
from service_app.web import ReadSessionDep, SessionDep

router = APIRouter(prefix="/authorizations", tags=["authorizations"])

AUTHORIZATIONS = Aggregate(
    Authorization,
    "authorization",
    id_field="order_id",
    missing="order {id} has no authorization",
    exists="order {id} has an authorization",
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


def _reverse(session: Session, order_id: str) -> Answer:
    authorization = session.get(Authorization, order_id, with_for_update=True)
    if authorization is None:
        raise not_reversible(order_id, "there is none")
    authorization.reverse()
    session.exec(credit(authorization.consumer_id, authorization.amount_cents))
    return 200, AUTHORIZATIONS.save(session, authorization, "AuthorizationReversed")


@router.post("", status_code=201, response_model=AuthorizationPublic)
def authorize_card(
    request: AuthorizationRequest, session: SessionDep, key: CommandKey
) -> JSONResponse:
    """Step 4 of Create Order, the pivot: take the order total from the available credit."""
    return run_idempotent(session, key, lambda: _authorize(session, request))


@router.get("/{order_id}", response_model=AuthorizationPublic)
def get_authorization(order_id: str, session: ReadSessionDep) -> AuthorizationPublic:
    return AUTHORIZATIONS.load(session, order_id).public()


@router.post("/{order_id}/reverse", response_model=AuthorizationPublic)
def reverse_authorization(order_id: str, session: SessionDep, key: CommandKey) -> JSONResponse:
    """Step 3 of Cancel Order, the pivot: give the authorized amount back to the account."""
    return run_idempotent(session, key, lambda: _reverse(session, order_id))


# -- Revise Order ---------------------------------------------------------------------------------


def _revise(session: Session, order_id: str, request: AuthorizationRevise) -> Answer:
    authorization = session.get(Authorization, order_id, with_for_update=True)
    if authorization is None:
        raise not_revisable(order_id, "there is none")
    before = authorization.amount_cents
    move = revise(authorization, request.amount_cents)
    # A raised business error rolls back the amount changed above: nothing changes on a decline.
    if move is not None and session.exec(move).rowcount != 1:
        raise revision_declined(authorization.consumer_id, request.amount_cents - before)
    return 200, AUTHORIZATIONS.save(session, authorization, "AuthorizationRevised")


@router.post("/{order_id}/revise", response_model=AuthorizationPublic)
def revise_authorization(
    order_id: str, request: AuthorizationRevise, session: SessionDep, key: CommandKey
) -> JSONResponse:
    """Step 3 of Revise Order, the pivot: the authorized amount becomes the order's new total."""
    return run_idempotent(session, key, lambda: _revise(session, order_id, request))
