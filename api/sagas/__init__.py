"""Saga operations on Temporal: start, status (read model), listing, cancel, resolve."""

from api.sagas.commands import cancel_saga, resolve_saga
from api.sagas.listing import list_sagas
from api.sagas.start import Started, next_attempt, request_hash, start_saga
from api.sagas.status import saga_state, saga_with_definition

__all__ = [
    "Started",
    "cancel_saga",
    "list_sagas",
    "next_attempt",
    "request_hash",
    "resolve_saga",
    "saga_state",
    "saga_with_definition",
    "start_saga",
]
