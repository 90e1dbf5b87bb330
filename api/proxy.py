"""Reading from internal services, with their errors turned into ours."""

from typing import Any

import httpx

from common.errors import DomainError


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
        answer = response.json().get("error", {})
        raise DomainError(
            answer.get("code", "bad_request"),
            answer.get("message", ""),
            status=response.status_code,
        )
    return response.json()
