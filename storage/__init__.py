"""A service's private database: engines, UTC timestamps, advisory locks and schema migrations."""
