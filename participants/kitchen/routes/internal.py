"""The tickets the consistency audit pages through (internal)."""

from audit.listing import Listing, internal_router
from participants.kitchen.models import Ticket

router = internal_router(Listing("tickets", Ticket, "order_id", Ticket.public))
