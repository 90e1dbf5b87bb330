"""Keyset pagination for the newest-first order list: a page token is the position of the last
order on the previous page, signed and bound to the listing's filters (http_contract.page_tokens)."""

from datetime import datetime

from pydantic import AwareDatetime, BaseModel
from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, select

from http_contract.order_states import OrderState
from http_contract.page_tokens import invalid_page_token, issue, read
from storage.utc import as_utc
from views.order_history.models import OrderHistory

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class Position(BaseModel):
    created_at: AwareDatetime
    order_id: str


def listing_query(consumer_id: str, state: OrderState | None) -> str:
    """What a token is bound to: the same consumer and filter, or the token is refused."""
    return f"consumer_id={consumer_id}&state={state.value if state else ''}"


def encode_token(row: OrderHistory, query: str, key: bytes) -> str:
    assert row.created_at is not None
    position = Position(created_at=as_utc(row.created_at), order_id=row.order_id)
    return issue(position.model_dump(mode="json"), query, key)


def decode_token(token: str, query: str, key: bytes) -> Position | None:
    """The position a token continues after; None for no token; `400 invalid_page_token` for a
    token this view did not sign for this query."""
    signed = read(token, query, key)
    if signed is None:
        return None
    try:
        position = Position.model_validate(signed)
    except ValueError as error:  # signed by us, so only if the key leaked
        raise invalid_page_token() from error
    return position.model_copy(update={"created_at": as_utc(position.created_at)})


def newest_orders(
    session: Session,
    consumer_id: str,
    state: OrderState | None,
    after: Position | None,
    limit: int,
) -> list[OrderHistory]:
    """A consumer's orders, newest first. Partial rows have no consumer, so they never match."""
    query = select(OrderHistory).where(col(OrderHistory.consumer_id) == consumer_id)
    if state is not None:
        query = query.where(col(OrderHistory.order_state) == state.value)
    if after is not None:
        query = query.where(_older_than(after))
    newest = (col(OrderHistory.created_at).desc(), col(OrderHistory.order_id).desc())
    return list(session.exec(query.order_by(*newest).limit(limit)))


def _older_than(position: Position) -> ColumnElement[bool]:
    created_at: datetime = position.created_at
    return or_(
        col(OrderHistory.created_at) < created_at,
        and_(
            col(OrderHistory.created_at) == created_at,
            col(OrderHistory.order_id) < position.order_id,
        ),
    )
