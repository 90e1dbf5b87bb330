"""One HTTP call to a participant, with the saga's error taxonomy.

* 2xx → the answer body.
* 4xx marked `Business-Rejection: <code>` (a participant's business rule said no) →
  non-retryable `ApplicationError(type=<code>)`.
* Anything else - a 4xx without the marker (a missing route, a validation error, a proxy), 5xx,
  timeouts, connection errors - is a technical failure: a retryable `ApplicationError`.
"""

from typing import Any

import httpx
from temporalio import activity
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory

from http_contract.headers import BUSINESS_REJECTION, IDEMPOTENCY_KEY
from workflows.state import StepCall, StepOutcome


class Participant:
    def __init__(self, http: httpx.AsyncClient, base_url: str) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")

    async def post(
        self, path: str, call: StepCall, body: dict[str, Any] | None = None
    ) -> StepOutcome:
        attempt = activity.info().attempt
        url = f"{self.base_url}{path}"
        headers = {IDEMPOTENCY_KEY: call.idempotency_key}
        try:
            response = await self.http.post(url, json=body, headers=headers)
        except httpx.HTTPError as error:
            raise ApplicationError(
                f"{url} unreachable: {type(error).__name__} {error}",
                {"attempt": attempt},
                type="participant_unreachable",
            ) from error
        return StepOutcome(body=_answer(response, attempt), attempt=attempt)


def _answer(response: httpx.Response, attempt: int) -> dict[str, Any]:
    status = response.status_code
    if status < 300:
        body: dict[str, Any] = response.json()
        return body
    code, message = _error(response)
    details = {"attempt": attempt, "status": status}
    marker = response.headers.get(BUSINESS_REJECTION)
    business = 400 <= status < 500 and bool(marker)
    code = marker if business and marker else code
    # A business answer is an expected outcome, not a fault: logged without a stack trace.
    category = ApplicationErrorCategory.BENIGN if business else ApplicationErrorCategory.UNSPECIFIED
    raise ApplicationError(message, details, type=code, non_retryable=business, category=category)


def _error(response: httpx.Response) -> tuple[str, str]:
    try:
        error = response.json()["error"]
        return str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        return f"http_{response.status_code}", response.text[:200] or response.reason_phrase
