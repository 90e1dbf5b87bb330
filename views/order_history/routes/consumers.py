"""A consumer's order history, newest first, a page at a time."""

from typing import Annotated

from fastapi import APIRouter, Query

from service_app.web import ReadSessionDep
from views.order_history.models import OrderPage, OrderState, to_view
from views.order_history.pagination import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    decode_token,
    encode_token,
    newest_orders,
)

router = APIRouter(prefix="/consumers", tags=["order history"])


@router.get("/{consumer_id}/orders", response_model=OrderPage)
def list_orders(
    consumer_id: str,
    session: ReadSessionDep,
    state: OrderState | None = None,
    page_size: Annotated[int, Query(ge=1)] = DEFAULT_PAGE_SIZE,
    page_token: str | None = None,
) -> OrderPage:
    """A page size above the maximum is served as the maximum."""
    size = min(page_size, MAX_PAGE_SIZE)
    after = decode_token(page_token) if page_token else None
    rows = newest_orders(session, consumer_id, state, after, limit=size + 1)
    page, more = rows[:size], len(rows) > size
    return OrderPage(
        orders=[to_view(row) for row in page],
        next_page_token=encode_token(page[-1]) if more else None,
    )
