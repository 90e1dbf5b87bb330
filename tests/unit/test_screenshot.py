"""`make screenshot` needs Debian's chromium and says so, before it starts anything."""

from pathlib import Path

import pytest

from scripts.screenshot import chromium


def test_without_chromium_the_command_stops_with_the_package_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SystemExit, match="apt-get install -y chromium"):
        chromium()


def test_the_chromium_on_the_path_is_the_one_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    browser = tmp_path / "chromium"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert chromium() == str(browser)
