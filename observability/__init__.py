"""Logs, traces and metrics for every process (docs/operations.md).

`logs`, `tracing`, `context` and `temporal` import no web framework, so the worker can use them;
`web` holds the FastAPI middleware and the /metrics route, `database` the statement spans (services with a database call it for their engine).
"""
