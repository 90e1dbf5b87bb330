"""The states of an order, as the orders service and the order-history view report them."""

from enum import StrEnum


class OrderState(StrEnum):
    APPROVAL_PENDING = "APPROVAL_PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    CANCEL_PENDING = "CANCEL_PENDING"
    CANCELLED = "CANCELLED"
    REVISION_PENDING = "REVISION_PENDING"
