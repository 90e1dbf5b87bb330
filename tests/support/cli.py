"""Run the `saga` command line against a test stack, as an operator would."""

import asyncio
from dataclasses import dataclass

from typer.testing import CliRunner, Result

from cli import main as cli_main
from cli.main import app
from tests.support.stack import TOKEN, Stack


@dataclass
class Saga:
    """`await saga("list", "--status", "COMPLETED")` → the click Result (exit_code, output)."""

    stack: Stack
    token: str | None = TOKEN
    url: str | None = None
    columns: int = 250  # wide enough that rich never wraps a saga id

    def env(self) -> dict[str, str | None]:
        p = self.stack.participants
        return {
            "SAGA_API_URL": self.url or self.stack.api.url,
            "SAGA_API_TOKEN": self.token,
            "SAGA_API_TOKEN_FILE": "/nonexistent/api-token",
            "SAGA_LOAD_CONSUMERS_URL": p.consumers.url,
            "SAGA_LOAD_ORDERS_URL": p.orders.url,
            "SAGA_LOAD_KITCHEN_URL": p.kitchen.url,
            "SAGA_LOAD_ACCOUNTING_URL": p.accounting.url,
            "COLUMNS": str(self.columns),
        }

    async def __call__(self, *args: str) -> Result:
        """In a thread: the command runs its own event loop; the stack's worker keeps ours."""
        env = self.env()
        # The command's consoles are made when cli.main is imported, and take a COLUMNS set then
        # for good (pytest-xdist workers have COLUMNS=80): give them this run's width.
        for console in (cli_main.console, cli_main.errors):
            console.width = self.columns
        return await asyncio.to_thread(lambda: CliRunner().invoke(app, list(args), env=env))
