"""The worker's metrics endpoint never keeps a worker from starting."""

import logging
import socket

import pytest

from observability.process import serve_worker_metrics


def test_a_taken_metrics_port_is_logged_and_the_worker_goes_on(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        monkeypatch.setenv("WORKER_METRICS_ADDRESS", address)
        with caplog.at_level(logging.WARNING, logger="observability"):
            serve_worker_metrics()
    assert f"cannot serve them on {address}" in caplog.text
