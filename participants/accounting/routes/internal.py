"""The authorizations and accounts the consistency audit pages through (internal)."""

from audit.listing import Listing, internal_router
from participants.accounting.models import Account, Authorization

router = internal_router(
    Listing("authorizations", Authorization, "order_id", Authorization.public),
    Listing("accounts", Account, "consumer_id", Account.public),
)
