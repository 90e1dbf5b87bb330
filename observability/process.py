"""Start-up of a process: logging, tracing and (in the worker) the metrics endpoint."""

import logging
from typing import Any

from temporalio.runtime import Runtime

from observability.config import ObservabilitySettings, WorkerMetricsSettings
from observability.logs import configure_logging
from observability.temporal import metrics_runtime
from observability.tracing import configure_tracing

log = logging.getLogger("observability")


def configure_process(service: str, level: str = "info") -> None:
    settings = ObservabilitySettings()
    configure_logging(level, settings)
    configure_tracing(service, settings)


def service_name_of(settings: Any) -> str:
    """`participants.orders.config.Settings` → "orders"; `api.config.ApiSettings` → "api"."""
    parts = type(settings).__module__.split(".")
    return parts[-2] if len(parts) > 1 else parts[0]


def serve_worker_metrics() -> None:
    """Serve the worker's Temporal SDK and saga metrics on WORKER_METRICS_ADDRESS; call it
    before connecting to Temporal (clients made afterwards use this runtime)."""
    address = WorkerMetricsSettings().metrics_address
    if not address:
        return
    try:
        runtime = metrics_runtime(address)
    except Exception as error:  # e.g. a second local worker on the same port: run without
        log.warning("no worker metrics: cannot serve them on %s: %s", address, error)
        return
    Runtime.set_default(runtime, error_if_already_set=True)
    log.info("worker metrics on http://%s/metrics", address)
