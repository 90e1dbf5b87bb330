"""Build the activities the registered sagas call, around one shared HTTP client.

Nothing here lists activities by hand. Each participant's activities are one class in this
package, built with its `Participant`; their names start with the participant's name
(`orders.create_order`), whose base URL is `ParticipantUrls.<name>_url`. The worker registers
the activities that the saga registry's definitions (every version) call, and refuses to start
when one of them is missing.
"""

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterable
from typing import Any

import httpx

import activities
from activities.config import ParticipantUrls
from activities.participant import Participant
from activities.timeouts import ActivityTimeoutTransport
from workflows.registry import SAGAS

Activity = Callable[..., Any]


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
    for participant, cls in participant_classes().items():
        if participant in participants:
            url = getattr(urls, f"{participant}_url")
            found |= activity_methods(cls(Participant(http, url)))
    if missing := wanted - found.keys():
        raise LookupError(f"no activity implements {sorted(missing)}")
    return [found[name] for name in sorted(wanted)]


def participant_classes() -> dict[str, type]:
    """Participant name → the class of its activities, found in this package's modules."""
    classes: dict[str, type] = {}
    for module_info in pkgutil.iter_modules(activities.__path__):
        module = importlib.import_module(f"{activities.__name__}.{module_info.name}")
        for cls in vars(module).values():
            if inspect.isclass(cls) and cls.__module__ == module.__name__:
                names = {_activity_name(member) for member in vars(cls).values()} - {None}
                participants = {str(name).split(".", 1)[0] for name in names}
                if len(participants) == 1:
                    classes[participants.pop()] = cls
    return classes


def activity_methods(instance: object) -> dict[str, Activity]:
    """Activity name → bound method, for every activity of `instance`."""
    members = inspect.getmembers(instance, inspect.ismethod)
    named = {_activity_name(method): method for _, method in members}
    return {name: method for name, method in named.items() if name is not None}


def _activity_name(member: Any) -> str | None:
    definition = getattr(member, "__temporal_activity_definition", None)
    return None if definition is None else str(definition.name)
