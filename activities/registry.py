"""Build the activities the registered sagas call, around one shared HTTP client.

Nothing here lists activities by hand. Each participant's activities are one table in this
package (`ParticipantActivities`, activities/table.py), whose activity names start with the
participant's name (`orders.create_order`) and whose base URL is `ParticipantUrls.<name>_url`.
The worker registers the activities that the saga registry's definitions (every version) call,
and refuses to start when one of them is missing.
"""

import importlib
import pkgutil
from collections.abc import Iterable

import httpx

import activities
from activities.config import ParticipantUrls
from activities.participant import Participant
from activities.table import Activity, ParticipantActivities
from activities.timeouts import ActivityTimeoutTransport
from workflows.registry import SAGAS


def http_client(urls: ParticipantUrls) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=urls.max_connections, max_keepalive_connections=100)
    transport = ActivityTimeoutTransport(httpx.AsyncHTTPTransport(limits=limits))
    return httpx.AsyncClient(timeout=urls.http_timeout_seconds, transport=transport)


def saga_activities(
    http: httpx.AsyncClient, urls: ParticipantUrls, needed: Iterable[str] | None = None
) -> list[Activity]:
    """The activities named by `needed` (default: every registered saga's), each bound to its
    participant's URL."""
    wanted = set(SAGAS.activity_names() if needed is None else needed)
    participants = {name.split(".", 1)[0] for name in wanted}
    found: dict[str, Activity] = {}
    for participant, table in participant_tables().items():
        if participant in participants:
            url = getattr(urls, f"{participant}_url")
            found |= table.bind(Participant(http, url))
    if missing := wanted - found.keys():
        raise LookupError(f"no activity implements {sorted(missing)}")
    return [found[name] for name in sorted(wanted)]


def participant_tables() -> dict[str, ParticipantActivities]:
    """Participant name → the table of its activities, found in this package's modules."""
    tables: dict[str, ParticipantActivities] = {}
    for module_info in pkgutil.iter_modules(activities.__path__):
        module = importlib.import_module(f"{activities.__name__}.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, ParticipantActivities):
                tables[value.participant] = value
    return tables
