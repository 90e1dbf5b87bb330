"""Each process imports what it runs: the worker's logging, tracing and metrics pull in no web
framework and no database layer, and the API (which has no database) no database layer."""

import subprocess
import sys

import pytest

WEB = ("fastapi", "starlette")
DATABASE = ("sqlmodel", "sqlalchemy", "alembic")


@pytest.mark.parametrize(
    ("module", "forbidden"), [("worker", WEB + DATABASE), ("api.main", DATABASE)]
)
def test_a_process_imports_no_framework_it_does_not_run(
    module: str, forbidden: tuple[str, ...]
) -> None:
    check = f"import sys, {module}; print(sorted(m for m in {forbidden!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout
