"""Accounts and authorizations. Business rules are methods that raise domain errors.

Available credit only ever changes through `debit` and `credit`, single conditional UPDATE
statements: the database checks the balance in the same statement that changes it, so concurrent
authorizations can never overdraw an account, whatever the isolation level.
"""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel
from sqlalchemy import BigInteger, CheckConstraint, Update, update
from sqlmodel import Field, SQLModel, col
from sqlmodel.sql.sqltypes import AutoString

from http_contract.bounds import Cents, RecordId, SagaId
from http_contract.errors import DomainError
from participant_commands.state_changes import Given, StateChange, table
from storage.columns import now_column
from storage.utc import utcnow


class AccountBase(SQLModel):
    """What a client says about an account; the table and the public shape add the rest."""

    consumer_id: RecordId = Field(sa_type=AutoString(100))
    credit_limit_cents: Cents = Field(sa_type=BigInteger)


class AccountCreate(AccountBase):
    pass


class AccountPublic(AccountBase):
    available_cents: int
    created_at: datetime
    updated_at: datetime


class Account(AccountBase, table=True):
    __tablename__ = "account"
    __table_args__ = (
        CheckConstraint("available_cents >= 0", name="available_credit_not_negative"),
    )

    consumer_id: str = Field(primary_key=True, max_length=100)
    available_cents: int = Field(sa_type=BigInteger)
    created_at: datetime = now_column()
    updated_at: datetime = now_column()

    @classmethod
    def open(cls, command: AccountCreate) -> "Account":
        return cls(
            consumer_id=command.consumer_id,
            credit_limit_cents=command.credit_limit_cents,
            available_cents=command.credit_limit_cents,
        )

    def public(self) -> AccountPublic:
        return AccountPublic.model_validate(self, from_attributes=True)


def debit(consumer_id: str, amount_cents: int) -> Update:
    """Take `amount_cents` of available credit, only if there is that much (one row or none)."""
    return (
        update(Account)
        .where(col(Account.consumer_id) == consumer_id)
        .where(col(Account.available_cents) >= amount_cents)
        .values(available_cents=col(Account.available_cents) - amount_cents, updated_at=utcnow())
    )


def credit(consumer_id: str, amount_cents: int) -> Update:
    """Give back credit taken by an authorization."""
    return (
        update(Account)
        .where(col(Account.consumer_id) == consumer_id)
        .values(available_cents=col(Account.available_cents) + amount_cents, updated_at=utcnow())
    )


class AuthorizationState(StrEnum):
    AUTHORIZED = "AUTHORIZED"
    DECLINED = "DECLINED"
    REVERSED = "REVERSED"


class AuthorizationBase(SQLModel):
    """What a client asks to authorize; the table and the public shape add the state."""

    order_id: RecordId = Field(sa_type=AutoString(100))
    consumer_id: RecordId = Field(index=True, sa_type=AutoString(100))
    amount_cents: Cents = Field(sa_type=BigInteger)
    saga_id: SagaId | None = Field(default=None, sa_type=AutoString(200))


class AuthorizationRequest(AuthorizationBase):
    pass


class AuthorizationPublic(AuthorizationBase):
    state: AuthorizationState
    created_at: datetime
    updated_at: datetime


class Authorization(AuthorizationBase, table=True):
    """A charge against a consumer's credit for one order; its id is the order id."""

    __tablename__ = "card_authorization"  # AUTHORIZATION is an SQL reserved word

    order_id: str = Field(primary_key=True, max_length=100)
    state: AuthorizationState = Field(max_length=20)
    created_at: datetime = now_column()
    updated_at: datetime = now_column()

    @classmethod
    def record(cls, request: AuthorizationRequest, state: AuthorizationState) -> "Authorization":
        return cls(
            order_id=request.order_id,
            consumer_id=request.consumer_id,
            amount_cents=request.amount_cents,
            state=state,
            saga_id=request.saga_id,
        )

    def public(self) -> AuthorizationPublic:
        return AuthorizationPublic.model_validate(self, from_attributes=True)


def card_declined(request: AuthorizationRequest) -> DomainError:
    return DomainError(
        "card_declined",
        f"consumer {request.consumer_id} has less than {request.amount_cents} cents available",
    )


def account_not_found(consumer_id: str) -> DomainError:
    return DomainError("account_not_found", f"consumer {consumer_id} has no account")


# -- Revise Order ---------------------------------------------------------------------------------


class AuthorizationRevise(BaseModel):
    """Revise authorization: the order's new total."""

    amount_cents: int = Field(ge=0)


def revision_declined(consumer_id: str, increase_cents: int) -> DomainError:
    return DomainError(
        "card_declined",
        f"consumer {consumer_id} has less than {increase_cents} cents available for the revision",
    )


def give_back_credit(authorization: Authorization, given: Given) -> None:
    """Reverse: the authorized amount goes back to the account."""
    assert given.session is not None
    given.session.exec(credit(authorization.consumer_id, authorization.amount_cents))


def change_amount(authorization: Authorization, given: Given) -> None:
    """Revise: the authorized amount becomes the order's new total. An increase is a conditional
    `debit` (`422 card_declined` when there is not that much credit; the raised error rolls back
    the amount changed here, so nothing changes); a decrease gives credit back."""
    assert given.session is not None
    command: AuthorizationRevise = given.body
    difference = command.amount_cents - authorization.amount_cents
    authorization.amount_cents = command.amount_cents
    if (
        difference > 0
        and given.session.exec(debit(authorization.consumer_id, difference)).rowcount != 1
    ):
        raise revision_declined(authorization.consumer_id, difference)
    if difference < 0:
        given.session.exec(credit(authorization.consumer_id, -difference))


S = AuthorizationState
AUTHORIZATION_CHANGES = table(
    StateChange("reverse", (S.AUTHORIZED,), S.REVERSED, "AuthorizationReversed",
                "authorization_not_reversible", then=give_back_credit, refuse_missing=True,
                summary="Step 3 of Cancel Order, the pivot: give the authorized amount back to "
                "the account."),
    StateChange("revise", (S.AUTHORIZED,), S.AUTHORIZED, "AuthorizationRevised",
                "authorization_not_revisable", then=change_amount, body=AuthorizationRevise,
                refuse_missing=True,
                summary="Step 3 of Revise Order, the pivot: the authorized amount becomes the "
                "order's new total."),
)  # fmt: skip
