"""`make screenshot`: pictures of a completed and a compensated saga in the Temporal Web UI.

Uses the stack of `make run` when it is up, otherwise starts it the same way (and stops it at
the end); runs a Create Order saga that completes and one whose card is declined; then has
Debian's headless Chromium capture each saga's Web UI page into docs/images/. Needs the
`chromium` package (`apt-get install -y chromium`); it fails at once without it.
"""

import asyncio
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from scripts import demo
from scripts.run_stack import (
    Child,
    api_token,
    ensure_free,
    page_token_secret,
    start,
    stop,
    wait_ready,
)
from scripts.stack import API_PORT, LOG_DIR, TEMPORAL_UI_PORT, stack
from service_app.settings import DATA_DIR
from temporal_client.connection import TemporalSettings, connect_temporal

IMAGES = Path("docs/images")
METADATA_WINDOW, TIMELINE_WINDOW = "1920,1000", "1440,1100"
RENDER_MS = 20_000  # virtual time for the UI's scripts to fetch the workflow and draw it


def chromium() -> str:
    """Debian's chromium; never a browser downloaded at run time."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        sys.exit(
            "error: chromium is not installed; install Debian's package: apt-get install -y chromium"
        )
    return found


@contextmanager
def running_stack() -> Iterator[None]:
    """The `make run` stack: the one already up, or one started here and stopped at the end."""
    if _up():
        print("using the running stack", flush=True)
        yield
        return
    DATA_DIR.mkdir(exist_ok=True)
    LOG_DIR.mkdir(exist_ok=True)
    children: list[Child] = []
    try:
        for service in stack(api_token(), page_token_secret()):
            print(f"  starting {service.name}", flush=True)
            ensure_free(service)
            children.append(start(service))
            wait_ready(children[-1])
        yield
    finally:
        stop(children)


def _up() -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{API_PORT}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def run_sagas() -> dict[str, str]:
    """A Create Order saga that completes and one whose card is declined: name → saga id."""
    headers = {"Authorization": f"Bearer {demo.token()}"}
    with (
        httpx.Client(timeout=10) as http,
        httpx.Client(base_url=demo.API, headers=headers, timeout=10) as api,
    ):
        ids = demo.seed(http)
        curry, naan = (item["id"] for item in ids["menu"])
        orders = {
            "saga-completed": demo.place(api, ids["alice"], ids["open"], [(curry, 2), (naan, 1)]),
            "saga-compensated": demo.place(api, ids["carol"], ids["open"], [(curry, 4)]),
        }
        for name, accepted in orders.items():
            demo.report(name, demo.wait_saga(api, accepted["saga_id"]))
    return {name: accepted["saga_id"] for name, accepted in orders.items()}


def capture(browser: str, url: str, window: str, image: Path) -> None:
    """One headless Chromium screenshot of `url`, after the page's scripts have rendered it."""
    command = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        f"--window-size={window}", f"--virtual-time-budget={RENDER_MS}",
        f"--screenshot={image.resolve()}", url,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0 or not image.exists():
        sys.exit(f"error: chromium could not capture {url}:\n{result.stderr[-2000:]}")
    print(f"  wrote {image} ({image.stat().st_size // 1024} KiB)", flush=True)


async def run_ids(saga_ids: list[str]) -> list[str]:
    """The run of each saga: the Web UI's page of a run's tab needs it."""
    client = await connect_temporal(TemporalSettings())
    return [(await client.get_workflow_handle(saga_id).describe()).run_id for saga_id in saga_ids]


def pages(sagas: dict[str, str]) -> Iterator[tuple[str, str, str]]:
    """(image name, URL, window size): each saga's user metadata tab (summary, details and
    current details) and the compensated saga's timeline (the activities' summaries)."""
    ui = f"http://localhost:{TEMPORAL_UI_PORT}/namespaces/default/workflows"
    runs = asyncio.run(run_ids([*sagas.values()]))
    for (name, saga_id), run_id in zip(sagas.items(), runs, strict=True):
        yield name, f"{ui}/{saga_id}/{run_id}/user-metadata", METADATA_WINDOW
    compensated = sagas["saga-compensated"]
    yield "saga-compensated-timeline", f"{ui}/{compensated}", TIMELINE_WINDOW


def main() -> None:
    browser = chromium()
    IMAGES.mkdir(parents=True, exist_ok=True)
    try:
        with running_stack():
            for name, url, window in pages(run_sagas()):
                capture(browser, url, window, IMAGES / f"{name}.png")
    except RuntimeError as error:  # a service that did not start: say which, as `make run` does
        sys.exit(f"error: {error}")


if __name__ == "__main__":
    os.chdir(Path(__file__).resolve().parent.parent)
    main()
