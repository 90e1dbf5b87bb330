"""The public saga API: starts sagas and reports saga-level status."""
