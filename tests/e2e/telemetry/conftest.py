"""A saga stack with every kind of telemetry on: spans into memory, the worker's metrics on a
Prometheus endpoint of its own."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client.parser import text_string_to_metric_families
from temporalio.client import Client

from observability.temporal import metrics_runtime
from observability.tracing import traced_client, use_tracer_provider
from tests.support.sagas import Faults, fault_rules
from tests.support.servers import free_port
from tests.support.stack import Stack, running_stack


@dataclass
class Observed:
    stack: Stack
    spans: InMemorySpanExporter
    worker_metrics_url: str

    def finished_spans(self) -> tuple[ReadableSpan, ...]:
        return self.spans.get_finished_spans()


@pytest.fixture(scope="package")
async def observed(
    temporal_client: Client, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Observed]:
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    use_tracer_provider(provider)
    address = f"127.0.0.1:{free_port()}"
    client = await Client.connect(
        temporal_client.service_client.config.target_host,
        namespace=temporal_client.namespace,
        runtime=metrics_runtime(address),
    )
    data: Path = tmp_path_factory.mktemp("observed")
    try:
        async with running_stack(
            traced_client(client), lambda name: f"sqlite:///{data / name}.db"
        ) as stack:
            yield Observed(stack, spans, f"http://{address}/metrics")
    finally:
        use_tracer_provider(None)


@pytest.fixture
async def observed_api(observed: Observed) -> AsyncIterator[httpx.AsyncClient]:
    async with observed.stack.api_client() as client:
        yield client


@pytest.fixture
async def observed_faults(observed: Observed) -> AsyncIterator[Faults]:
    async with fault_rules(observed.stack.http) as rules:
        yield rules


Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(http: httpx.AsyncClient, url: str) -> Samples:
    """Every sample at `url`: (name, labels) → value."""
    response = await http.get(url)
    assert response.status_code == 200, response.text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """The sum of the samples named `name` that carry these labels (0 when none)."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= ls)
