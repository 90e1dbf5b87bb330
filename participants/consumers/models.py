"""Consumers. Business rules are methods that raise domain errors."""

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel
from sqlmodel import Field, SQLModel

from http_contract.bounds import Cents, RecordId
from http_contract.errors import DomainError
from storage.utc import utcnow


class ConsumerStatus(StrEnum):
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"


class ConsumerBase(SQLModel):
    """What a client says about a consumer; the table and the public shape add the rest."""

    name: str = Field(min_length=1, max_length=200)
    status: ConsumerStatus = Field(default=ConsumerStatus.ACTIVE, max_length=20)


class ConsumerCreate(ConsumerBase):
    id: RecordId | None = None


class StatusChange(BaseModel):
    status: ConsumerStatus


class VerifyRequest(BaseModel):
    order_id: RecordId | None = None
    total_cents: Cents | None = None


class ConsumerPublic(ConsumerBase):
    id: str
    created_at: datetime
    updated_at: datetime


class Verification(BaseModel):
    consumer_id: str
    verified: bool = True


class Consumer(ConsumerBase, table=True):
    __tablename__ = "consumer"

    id: str = Field(primary_key=True, max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @classmethod
    def register(cls, command: ConsumerCreate) -> "Consumer":
        return cls(id=command.id or uuid.uuid4().hex, name=command.name, status=command.status)

    def change_status(self, status: ConsumerStatus) -> bool:
        """Suspend or reactivate; returns whether anything changed."""
        if self.status == status:
            return False
        self.status = status
        self.updated_at = utcnow()
        return True

    def verify(self) -> None:
        """A consumer may order only while active."""
        if self.status != ConsumerStatus.ACTIVE:
            raise DomainError("consumer_suspended", f"consumer {self.id} is suspended")

    def public(self) -> ConsumerPublic:
        return ConsumerPublic.model_validate(self, from_attributes=True)


def verified(consumer: Consumer | None, consumer_id: str) -> Consumer:
    """The consumer, if it exists and may place an order."""
    if consumer is None:
        raise DomainError("consumer_not_found", f"consumer {consumer_id} is unknown")
    consumer.verify()
    return consumer
