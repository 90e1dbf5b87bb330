"""docker-compose.yml is wired to what the code reads: settings names, URLs, ports, start order."""

import importlib.util
import re
from urllib.parse import urlsplit

import pytest

from tests.support.compose import (
    DATABASE_OWNERS,
    DOCKERFILE,
    INIT_DATABASES,
    ROLES,
    TEMPORAL_SETUP,
    app_services,
    environment,
    interpolated,
    listening_port,
    role_of,
    services,
    setting_names,
    url_target,
)
from workflows.engine import SAGA_STATUS, SAGA_TYPE

INFRASTRUCTURE = {"postgres", "temporal-schema", "temporal", "temporal-setup", "temporal-ui"}
PUBLISHED = {"api", "temporal-ui", "prometheus", "grafana"}
ONE_SHOT = {"temporal-schema", "temporal-setup"}
BROWSER_URLS = {"web_ui_url", "codec_cors_origin"}  # addresses for a browser, not for a container


def test_every_role_of_the_image_and_the_infrastructure_is_a_service() -> None:
    assert set(app_services().values()) == set(ROLES)
    assert set(services()) >= INFRASTRUCTURE


@pytest.mark.parametrize("service", sorted(app_services()))
def test_environment_names_are_settings_the_role_reads(service: str) -> None:
    known = {name for cls in ROLES[app_services()[service]] for name in setting_names(cls)}
    unknown = set(environment(service)) - known
    assert not unknown, f"{service} sets variables its code never reads: {unknown}"


@pytest.mark.parametrize("service", sorted(app_services()))
def test_every_loopback_or_file_default_is_overridden(service: str) -> None:
    """A default of 127.0.0.1 or a SQLite file would be wrong inside a container."""
    env = environment(service)
    for cls in ROLES[app_services()[service]]:
        for name, field in setting_names(cls).items():
            default = str(cls.model_fields[field].default)
            local = "127.0.0.1" in default or default.startswith("sqlite")
            if local and field not in BROWSER_URLS:
                assert name in env, f"{service} keeps the local default of {name}: {default}"


@pytest.mark.parametrize("service", sorted(app_services()))
def test_services_listen_on_every_interface_of_their_container(service: str) -> None:
    hosts = [value for name, value in environment(service).items() if name.endswith("_HOST")]
    assert hosts == ([] if app_services()[service] == "worker" else ["0.0.0.0"])


def test_every_service_url_points_at_a_compose_service_and_its_port() -> None:
    for service in app_services():
        for name, value in environment(service).items():
            if not name.endswith("_URL") or not str(value).startswith("http"):
                continue
            if name.endswith("WEB_UI_URL"):
                continue
            host, port = url_target(value)
            assert host in app_services(), f"{service}: {name} points at unknown {host}"
            assert port == listening_port(host), f"{service}: {name} misses {host}'s port"


def test_participants_view_worker_and_infrastructure_publish_no_port() -> None:
    publishing = {name for name, service in services().items() if service.get("ports")}
    assert publishing == PUBLISHED


def test_the_api_and_the_web_ui_publish_their_ports() -> None:
    assert services()["api"]["ports"] == ["8000:8000"]
    assert services()["temporal-ui"]["ports"] == ["127.0.0.1:8080:8080"]
    assert services()["prometheus"]["ports"] == ["127.0.0.1:9090:9090"]
    assert services()["grafana"]["ports"] == ["127.0.0.1:3000:3000"]
    assert listening_port("api") == 8000


def test_services_can_be_scaled_no_fixed_container_names() -> None:
    assert not [name for name, service in services().items() if "container_name" in service]


def test_start_order_waits_for_health_or_completion() -> None:
    for name, service in services().items():
        for dependency, condition in (service.get("depends_on") or {}).items():
            expected = (
                "service_completed_successfully" if dependency in ONE_SHOT else "service_healthy"
            )
            assert condition == {"condition": expected}, (name, dependency)
            if expected == "service_healthy":
                assert "healthcheck" in services()[dependency], dependency


def test_one_shot_services_are_not_restarted() -> None:
    for name in ONE_SHOT:
        assert services()[name]["restart"] == "no"


def test_the_worker_and_the_api_wait_for_the_search_attributes() -> None:
    for name in ("worker", "api"):
        assert services()[name]["depends_on"]["temporal-setup"] == {
            "condition": "service_completed_successfully"
        }


def test_the_setup_registers_the_search_attributes_the_sagas_use() -> None:
    script = TEMPORAL_SETUP.read_text()
    for key in (SAGA_TYPE, SAGA_STATUS):
        assert re.search(rf"\b{key.name}\b", script), key.name
    assert "--type Keyword" in script


@pytest.mark.parametrize("service", sorted(app_services()))
def test_healthchecks_probe_the_services_own_port(service: str) -> None:
    check = services()[service].get("healthcheck")
    if app_services()[service] == "worker":
        assert check is None  # no HTTP port; Temporal shows its pollers
        return
    assert check is not None
    url = check["test"][-1]
    assert urlsplit(url).port == listening_port(service)


@pytest.mark.parametrize("module", sorted(ROLES))
def test_every_command_runs_a_module_of_the_code_base(module: str) -> None:
    assert importlib.util.find_spec(module) is not None


def test_each_database_service_uses_its_own_database_and_role() -> None:
    init_script = INIT_DATABASES.read_text()
    postgres_env = environment("postgres")
    for service, role in app_services().items():
        database = DATABASE_OWNERS.get(role)
        if database is None:
            continue
        [url] = [v for k, v in environment(service).items() if k.endswith("_DATABASE_URL")]
        parts = urlsplit(interpolated(url))
        assert (parts.hostname, parts.path, parts.username) == (
            "postgres",
            f"/{database}",
            database,
        )
        assert f"owned_database {database} {database} " in init_script
        password_setting = f"{database.upper()}_DB_PASSWORD"
        assert interpolated(postgres_env[password_setting]) == parts.password


def test_no_secret_is_written_into_the_file() -> None:
    """Tokens and keys come from the environment; only local-only database defaults are here."""
    api = environment("api")
    assert api["SAGA_API_TOKEN"].startswith("${SAGA_API_TOKEN:?")
    assert api["SAGA_API_PAGE_TOKEN_SECRET"] is None  # passed through when set
    for service in ("api", "worker"):
        for name in ("TEMPORAL_ENCRYPTION_KEYS", "TEMPORAL_ENCRYPTION_KEY_ID"):
            assert environment(service)[name] is None  # passed through when set


def test_the_image_is_multi_stage_and_runs_unprivileged() -> None:
    stages = re.split(r"^FROM ", DOCKERFILE.read_text(), flags=re.MULTILINE)[1:]
    assert len(stages) >= 2
    runtime = stages[-1]
    assert "build-essential" not in runtime and "apt-get install" not in runtime
    [user] = re.findall(r"^USER (\S+)", runtime, flags=re.MULTILINE)
    assert user.split(":")[0] not in {"root", "0"}


def test_role_of_reads_python_module_commands() -> None:
    assert role_of({"command": ["python", "-m", "api"]}) == "api"
    assert role_of({"image": "postgres"}) is None
