"""Bounds of the participants' inputs (DESIGN §5), chosen so that no computed amount can leave
64 bits: at most 50 line items of at most 1000 units at most 10^12 cents each."""

from typing import Annotated

from pydantic import Field, StringConstraints

INT64_MAX = 2**63 - 1
MAX_LINE_ITEMS = 50
MAX_PRICE_CENTS = 10**12

# An id a client chooses for a record a participant creates, or names a record by.
RecordId = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
]
SagaId = Annotated[str, StringConstraints(min_length=1, max_length=200)]
# Strict: a JSON float (2097152.0) or a boolean is not a quantity or an amount.
Quantity = Annotated[int, Field(strict=True, ge=1, le=1000)]
Cents = Annotated[int, Field(strict=True, ge=0, le=INT64_MAX)]
PriceCents = Annotated[int, Field(strict=True, ge=0, le=MAX_PRICE_CENTS)]
