"""The worker process imports what it runs: its logging, tracing and metrics pull in no web
framework and no database layer."""

import subprocess
import sys

FORBIDDEN = ("fastapi", "starlette", "sqlmodel", "sqlalchemy", "alembic")
CHECK = f"import sys, worker; print(sorted(m for m in {FORBIDDEN!r} if m in sys.modules))"


def test_the_worker_imports_no_web_framework_and_no_database_layer() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout
