"""Prometheus scrapes every process of the compose stack where it serves /metrics, and Grafana
gets the dashboard the generator writes, on the provisioned data source."""

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from tests.support.compose import ROOT, app_services, environment, listening_port, services

PROMETHEUS = ROOT / "deploy" / "prometheus" / "prometheus.yml"
GRAFANA = ROOT / "deploy" / "grafana"


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_dashboard", GRAFANA / "build_dashboard.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def scrape_targets() -> dict[str, list[str]]:
    jobs = load_yaml(PROMETHEUS)["scrape_configs"]
    return {
        job["job_name"]: [t for c in job.get("static_configs", []) for t in c["targets"]]
        + [f"{n}:{c['port']}" for c in job.get("dns_sd_configs", []) for n in c["names"]]
        for job in jobs
    }


def test_every_process_of_the_stack_is_scraped_on_its_own_port() -> None:
    scraped = {target for targets in scrape_targets().values() for target in targets}
    worker_port = environment("worker")["WORKER_METRICS_ADDRESS"].rsplit(":", 1)[1]
    expected = {
        f"{name}:{worker_port if role == 'worker' else listening_port(name)}"
        for name, role in app_services().items()
    }
    assert scraped == expected


def test_scaled_workers_are_found_through_dns() -> None:
    [worker] = [j for j in load_yaml(PROMETHEUS)["scrape_configs"] if j["job_name"] == "worker"]
    assert worker["dns_sd_configs"][0]["type"] == "A"


def test_the_dashboard_file_is_what_the_generator_writes() -> None:
    generator = builder()
    assert (GRAFANA / "dashboards" / "sagas.json").read_text() == generator.rendered()


def test_every_panel_queries_the_provisioned_data_source() -> None:
    [source] = load_yaml(GRAFANA / "provisioning" / "datasources" / "prometheus.yaml")[
        "datasources"
    ]
    assert source["url"] == "http://prometheus:9090"
    dashboard = json.loads((GRAFANA / "dashboards" / "sagas.json").read_text())
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] == source["uid"]
        assert all(target["expr"] for target in panel["targets"])


def test_grafana_reads_the_dashboards_where_compose_mounts_them() -> None:
    provider = load_yaml(GRAFANA / "provisioning" / "dashboards" / "sagas.yaml")["providers"][0]
    mounts = services()["grafana"]["volumes"]
    assert f"./deploy/grafana/dashboards:{provider['options']['path']}:ro" in mounts
