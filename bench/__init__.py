"""The Create Order saga benchmark: `python -m bench --help` (a tool, not a test)."""
