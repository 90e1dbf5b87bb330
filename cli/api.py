"""The saga API as the command line sees it: JSON in, JSON out, errors as exit codes."""

from types import TracebackType
from typing import Any

import httpx

from cli.config import CliSettings

Json = dict[str, Any]

# Distinct exit codes, so that scripts can tell the failures apart (2 is a usage error).
EXIT_ERROR = 1
EXIT_UNAUTHORIZED = 3
EXIT_UNREACHABLE = 4
EXIT_NOT_FOUND = 5
EXIT_CONFLICT = 6
EXIT_NOT_SERVED = 7


class CliError(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    @property
    def fatal(self) -> bool:
        """No later request can succeed either: a wrong token, no API."""
        return self.exit_code in (EXIT_UNAUTHORIZED, EXIT_UNREACHABLE)


class Api:
    """One HTTP client on the saga API, with the bearer token."""

    def __init__(self, settings: CliSettings) -> None:
        token = settings.token()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.url = settings.api_url.rstrip("/")
        self.http = httpx.AsyncClient(
            base_url=self.url, headers=headers, timeout=settings.http_timeout_seconds
        )

    async def __aenter__(self) -> "Api":
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.http.aclose()

    async def get(self, path: str, **params: Any) -> Json:
        return json_of(await self.send("GET", path, params=_present(params)))

    async def post(self, path: str, body: Json | None = None) -> Json:
        return json_of(await self.send("POST", path, json=body))

    async def text(self, path: str) -> str:
        return (await self.send("GET", path)).text

    async def send(self, method: str, path: str, **options: Any) -> httpx.Response:
        try:
            response = await self.http.request(method, path, **options)
        except httpx.TransportError as error:
            raise unreachable(self.url, error) from error
        check(response)
        return response


def unreachable(url: str, error: Exception) -> CliError:
    return CliError(
        f"the saga API at {url} is unreachable ({type(error).__name__}); "
        "is it running? (SAGA_API_URL)",
        EXIT_UNREACHABLE,
    )


def check(response: httpx.Response) -> None:
    """Turn an error answer into a CliError with the exit code of its kind."""
    if response.is_success:
        return
    code, message = error_of(response)
    status = response.status_code
    if status == 401:
        raise CliError(
            f"unauthorized: {message} (set SAGA_API_TOKEN or .data/api-token)", EXIT_UNAUTHORIZED
        )
    if status in (404, 405) and code in ("not_found", "http_405"):
        path = response.request.url.path
        raise CliError(f"this API does not serve {response.request.method} {path}", EXIT_NOT_SERVED)
    if status == 404:
        raise CliError(f"{code}: {message}", EXIT_NOT_FOUND)
    if status == 409:
        raise CliError(f"{code}: {message}", EXIT_CONFLICT)
    raise CliError(f"HTTP {status} {code}: {message}")


def error_of(response: httpx.Response) -> tuple[str, str]:
    try:
        error = response.json()["error"]
        return str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        return f"http_{response.status_code}", response.text[:200] or response.reason_phrase


def json_of(response: httpx.Response) -> Json:
    body: Json = response.json()
    return body


def _present(params: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in params.items() if value is not None}
