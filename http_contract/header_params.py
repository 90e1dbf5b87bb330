"""The contract's request headers as FastAPI parameters."""

from typing import Annotated

from fastapi import Header

from http_contract.headers import IDEMPOTENCY_KEY

IdempotencyKey = Annotated[str | None, Header(alias=IDEMPOTENCY_KEY, max_length=300)]
