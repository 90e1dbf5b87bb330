from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import Caller, HttpDep, SettingsDep
from api.proxy import get_json
from api.schemas import PathId

router = APIRouter(prefix="/consumers", tags=["order history"])


@router.get("/{consumer_id}/orders")
async def consumer_orders(
    consumer_id: PathId,
    _: Caller,
    http: HttpDep,
    settings: SettingsDep,
    state: str | None = None,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
    page_token: str | None = None,
) -> Any:
    """A consumer's orders, newest first, from the CQRS order-history view."""
    params: dict[str, Any] = {"page_size": page_size}
    params |= {k: v for k, v in {"state": state, "page_token": page_token}.items() if v}
    return await get_json(
        http, f"{settings.order_history_url}/consumers/{consumer_id}/orders", params
    )
