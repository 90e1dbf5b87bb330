"""Order history view: one row per order joining order, ticket and authorization states."""
