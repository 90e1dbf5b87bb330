"""Reading from internal services, with their errors turned into ours."""

from typing import Any

import httpx

from http_contract.errors import DomainError, NotFound


class Unavailable(DomainError):
    status = 503


async def get_json(
    http: httpx.AsyncClient, url: str, params: Any = None, *, missing_ok: bool = False
) -> Any:
    """GET `url`; None for a 404 when `missing_ok`; a participant's 4xx error is passed on."""
    try:
        response = await http.get(url, params=params)
    except httpx.HTTPError as error:
        raise Unavailable(
            "service_unavailable", f"an internal service is unreachable: {type(error).__name__}"
        ) from error
    if response.status_code == 404 and missing_ok:
        return None
    if response.status_code >= 500:
        raise Unavailable(
            "service_unavailable", f"an internal service answered {response.status_code}"
        )
    if response.status_code >= 400:
        raise passed_on(response)
    return response.json()


async def fetch_order(http: httpx.AsyncClient, orders_url: str, order_id: str) -> Any:
    """The order from the orders service (the source of truth); 404 order_not_found."""
    order = await get_json(http, f"{orders_url}/orders/{order_id}", missing_ok=True)
    if order is None:
        raise NotFound("order_not_found", f"order {order_id} not found")
    return order


def passed_on(response: httpx.Response) -> DomainError:
    """A service's 4xx, as our error: its code and message when it answered our error shape."""
    try:
        answer = response.json().get("error") or {}
    except (ValueError, AttributeError):  # not JSON, or not an object
        answer = {}
    code = answer.get("code") or "invalid_request"
    message = answer.get("message") or f"the request was refused ({response.status_code})"
    return DomainError(str(code), str(message), status=response.status_code)
