"""docker-compose itself accepts docker-compose.yml (no Docker engine needed for `config`)."""

import os
import shutil
import subprocess

import pytest

from tests.support.compose import COMPOSE_FILE

COMPOSE = shutil.which("docker-compose")
needs_compose = pytest.mark.skipif(COMPOSE is None, reason="docker-compose is not on PATH")


def compose_config(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    assert COMPOSE is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAGA_", "TEMPORAL_"))}
    return subprocess.run(
        [COMPOSE, "-f", str(COMPOSE_FILE), "config", "-q"],
        env=env | extra_env,
        cwd=COMPOSE_FILE.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )


@needs_compose
def test_compose_file_is_valid() -> None:
    result = compose_config({"SAGA_API_TOKEN": "a-token-for-validation"})
    assert result.returncode == 0, result.stderr


@needs_compose
def test_compose_refuses_to_start_without_an_api_token() -> None:
    result = compose_config({})
    assert result.returncode != 0
    assert "SAGA_API_TOKEN" in result.stderr
