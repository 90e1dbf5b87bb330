"""Observability settings, by the variable names the tools themselves use."""

from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class ObservabilitySettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # auto: JSON lines when stderr is not a terminal (a container, a file), readable text on one
    log_format: Literal["auto", "json", "text"] = "auto"
    # OpenTelemetry: traces are exported (OTLP over HTTP) only when an endpoint is set
    otel_exporter_otlp_endpoint: str | None = None
    otel_service_name: str | None = None


class WorkerMetricsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WORKER_", env_file=".env", extra="ignore")

    # the worker's Prometheus endpoint (Temporal SDK and saga metrics), host:port; empty: none
    metrics_address: str = "127.0.0.1:9464"
