"""`make run` refuses a port another process listens on, and writes its generated secrets (API
token, page-token secret) private."""

import os
import socket
import stat
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scripts import run_stack
from scripts.stack import Service, stack


@pytest.fixture
def foreign_listener() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_a_port_another_process_listens_on_is_refused(foreign_listener: int) -> None:
    service = Service("orders", ["true"], foreign_listener)
    with pytest.raises(RuntimeError, match=rf"port {foreign_listener} .*in use"):
        run_stack.ensure_free(service)


def test_a_free_port_is_accepted() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    run_stack.ensure_free(Service("orders", ["true"], port))


@pytest.mark.parametrize(
    ("keep", "file_setting", "variable"),
    [
        (run_stack.api_token, "TOKEN_FILE", "SAGA_API_TOKEN"),
        (run_stack.page_token_secret, "PAGE_TOKEN_SECRET_FILE", "SAGA_API_PAGE_TOKEN_SECRET"),
    ],
)
def test_a_generated_secret_is_kept_private_from_its_first_byte(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    keep: Callable[[], str],
    file_setting: str,
    variable: str,
) -> None:
    secret_file = tmp_path / "secret"
    monkeypatch.setattr(run_stack, file_setting, secret_file)
    monkeypatch.delenv(variable, raising=False)

    def no_late_chmod(*_: object, **__: object) -> None:
        raise AssertionError("the file must be created private, not made private afterwards")

    monkeypatch.setattr(Path, "chmod", no_late_chmod)
    old_umask = os.umask(0)
    try:
        secret = keep()
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert secret_file.read_text().strip() == secret
    assert keep() == secret
    assert [path.name for path in tmp_path.iterdir()] == ["secret"]
    monkeypatch.setenv(variable, "from-the-environment")
    assert keep() == "from-the-environment"


def test_make_run_gives_the_api_its_page_token_secret() -> None:
    [api] = [service for service in stack("a-token", "a-secret") if service.name == "api"]
    assert api.env == {"SAGA_API_TOKEN": "a-token", "SAGA_API_PAGE_TOKEN_SECRET": "a-secret"}


def test_the_env_file_with_its_secrets_is_never_committed() -> None:
    root = Path(__file__).resolve().parents[2]
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=root, check=False)
    assert ignored.returncode == 0, ".env must be listed in .gitignore"
