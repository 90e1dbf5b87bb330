"""A participant's commands: run once per idempotency key, each a state change with its event."""
