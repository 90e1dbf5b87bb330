"""HTTP headers the participants and their clients agree on (no framework imports: the worker
uses them too)."""

IDEMPOTENCY_KEY = "Idempotency-Key"
IDEMPOTENT_REPLAYED = "Idempotent-Replayed"
# Marks a participant's business rejection (a domain rule said no): the only 4xx a saga does not
# retry. Missing routes, validation errors, injected faults and proxies never carry it.
BUSINESS_REJECTION = "Business-Rejection"
