"""`saga`: list, watch, cancel and repair sagas; audit; diagrams; a load generator.

Reads SAGA_API_URL (default http://127.0.0.1:8000) and SAGA_API_TOKEN (default: the local
stack's .data/api-token). Exit codes: 3 wrong or missing token, 4 API unreachable, 5 unknown
saga, 6 conflict (e.g. the saga is closed), 7 the API does not serve that endpoint, 1 other.
"""

import asyncio
import functools
from collections.abc import Callable, Coroutine
from enum import StrEnum
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console

from cli import render
from cli.api import Api, CliError
from cli.config import CliSettings, LoadSettings
from cli.load import run_load, summary
from cli.seed import seed
from cli.watch import watch

EPILOG = (
    "SAGA_API_URL (default http://127.0.0.1:8000) and SAGA_API_TOKEN (default: .data/api-token)."
    " Exit codes: 3 wrong or missing token, 4 API unreachable, 5 unknown saga, 6 conflict,"
    " 7 the API does not serve that endpoint, 1 any other error."
)
app = typer.Typer(
    help="List, watch, cancel and repair sagas; audit; diagrams; a load generator.",
    epilog=EPILOG,
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
errors = Console(stderr=True)


class Action(StrEnum):
    retry = "retry"
    skip = "skip"


def runs(command: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async command; a CliError prints its message and exits with its code."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            asyncio.run(command(*args, **kwargs))
        except CliError as error:
            errors.print(f"[red]error:[/red] {error.message}", highlight=False)
            raise typer.Exit(error.exit_code) from None

    return run


def api() -> Api:
    return Api(CliSettings())


@app.command("list")
@runs
async def list_sagas(
    saga_type: Annotated[str | None, typer.Option("--type", help="e.g. CreateOrder")] = None,
    status: Annotated[str | None, typer.Option(help="e.g. NEEDS_ATTENTION")] = None,
    page_size: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    page_token: Annotated[str | None, typer.Option(help="from the previous page")] = None,
) -> None:
    """Sagas, newest first, one page at a time."""
    async with api() as saga_api:
        page = await saga_api.get(
            "/sagas",
            saga_type=saga_type,
            status=status,
            page_size=page_size,
            page_token=page_token,
        )
    console.print(render.saga_list(page["sagas"]))
    if page.get("next_page_token"):
        # On one line whatever the terminal's width: the token is copied whole, never folded.
        token = page["next_page_token"]
        console.print(f"next page: --page-token {token}", highlight=False, soft_wrap=True)


@app.command()
@runs
async def status(
    saga_id: str,
    watch_it: Annotated[
        bool, typer.Option("--watch", help="follow the saga live until it ends")
    ] = False,
) -> None:
    """A saga's status and steps."""
    async with api() as saga_api:
        if watch_it:
            await watch(saga_api, saga_id, console)
        else:
            console.print(render.saga_steps(await saga_api.get(f"/sagas/{saga_id}")))


@app.command()
@runs
async def cancel(saga_id: str) -> None:
    """Cancel a running saga: before its pivot it compensates and ends CANCELLED."""
    async with api() as saga_api:
        accepted = await saga_api.post(f"/sagas/{saga_id}/cancel")
    console.print(f"{saga_id}: cancel requested ({accepted.get('status')})", highlight=False)


@app.command()
@runs
async def resolve(
    saga_id: str,
    action: Action,
    reason: Annotated[str, typer.Option(help="why; kept in the saga's operator actions")],
) -> None:
    """Repair a NEEDS_ATTENTION saga: retry the failed step, or skip it (done by hand)."""
    async with api() as saga_api:
        body = {"action": action.value, "reason": reason}
        saga = await saga_api.post(f"/sagas/{saga_id}/resolve", body)
    console.print(render.saga_steps(saga))


@app.command()
@runs
async def audit() -> None:
    """Check the participants' records against each other; exit 1 on a violation."""
    async with api() as saga_api:
        report = await saga_api.get("/audit")
    console.print(render.audit(report))
    if not report.get("ok"):
        raise CliError("the audit found violations")


@app.command()
@runs
async def diagram(saga_type_or_id: str) -> None:
    """A saga type's definition, or a saga with its step statuses, as a Mermaid flowchart."""
    async with api() as saga_api:
        types = await saga_api.get("/saga-types")
        known = {entry["saga_type"] for entry in types.get("saga_types", [])}
        path = (
            f"/saga-types/{saga_type_or_id}/diagram"
            if saga_type_or_id in known
            else f"/sagas/{saga_type_or_id}/diagram"
        )
        console.print(await saga_api.text(path), highlight=False, markup=False)


@app.command()
@runs
async def load(
    n: Annotated[int, typer.Option("-n", min=1, help="how many Create Order sagas")] = 100,
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", min=1)] = 10,
) -> None:
    """Seed a consumer and a restaurant, run N Create Order sagas, report latency."""
    async with api() as saga_api, httpx.AsyncClient(timeout=30) as http:
        seeded = await seed(http, LoadSettings(), n)
        result = await run_load(saga_api, seeded, n, concurrency, console)
    console.print(summary(result))


if __name__ == "__main__":
    app()
