"""A consumer's order history, newest first, a page at a time."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from http_contract.order_states import OrderState
from service_app.web import ReadSessionDep
from views.order_history.config import Settings
from views.order_history.models import OrderPage, to_view
from views.order_history.pagination import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    decode_token,
    encode_token,
    listing_query,
    newest_orders,
)

router = APIRouter(prefix="/consumers", tags=["order history"])


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


@router.get("/{consumer_id}/orders", response_model=OrderPage)
def list_orders(
    consumer_id: str,
    session: ReadSessionDep,
    settings: SettingsDep,
    state: OrderState | None = None,
    page_size: Annotated[int, Query(ge=1)] = DEFAULT_PAGE_SIZE,
    page_token: str | None = None,
) -> OrderPage:
    """A page size above the maximum is served as the maximum."""
    size = min(page_size, MAX_PAGE_SIZE)
    query, key = listing_query(consumer_id, state), settings.page_token_key()
    after = decode_token(page_token, query, key) if page_token else None
    rows = newest_orders(session, consumer_id, state, after, limit=size + 1)
    page, more = rows[:size], len(rows) > size
    return OrderPage(
        orders=[to_view(row) for row in page],
        next_page_token=encode_token(page[-1], query, key) if more else None,
    )
