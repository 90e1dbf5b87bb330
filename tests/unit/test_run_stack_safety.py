"""`make run` refuses a port another process listens on, and writes its token file private."""

import os
import socket
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts import run_stack
from scripts.stack import Service


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


def test_the_token_file_is_private_from_its_first_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token_file = tmp_path / "api-token"
    monkeypatch.setattr(run_stack, "TOKEN_FILE", token_file)
    monkeypatch.delenv("SAGA_API_TOKEN", raising=False)

    def no_late_chmod(*_: object, **__: object) -> None:
        raise AssertionError("the file must be created private, not made private afterwards")

    monkeypatch.setattr(Path, "chmod", no_late_chmod)
    old_umask = os.umask(0)
    try:
        token = run_stack.api_token()
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert token_file.read_text().strip() == token
    assert run_stack.api_token() == token
    assert [path.name for path in tmp_path.iterdir()] == ["api-token"]


def test_the_env_file_with_its_secrets_is_never_committed() -> None:
    root = Path(__file__).resolve().parents[2]
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=root, check=False)
    assert ignored.returncode == 0, ".env must be listed in .gitignore"
