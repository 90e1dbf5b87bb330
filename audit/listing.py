"""Contract C, the participants' side: `GET /internal/<records>?after=<id>&limit=<n>`.

Each service declares which records it lists (a `Listing`) and mounts `internal_router`. Records
come in id order, a page at a time (keyset paging: `after` is the last id of the previous page),
so the audit can join the services' lists by order id while holding one page of each.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel import Session, SQLModel, select

from service_app.web import ReadSessionDep

DEFAULT_LIMIT = 500
MAX_LIMIT = 1000


class Page(BaseModel):
    items: list[dict[str, Any]]
    next_after: str | None


@dataclass(frozen=True)
class Listing:
    """`records` is the path segment; `key` the name of the id column; `public` the record's public shape;
    `where` keeps some rows out (the view's partial rows)."""

    records: str
    model: type[SQLModel]
    key: str
    public: Callable[[Any], BaseModel]
    where: Sequence[ColumnElement[bool]] = ()


def internal_router(*listings: Listing) -> APIRouter:
    router = APIRouter(prefix="/internal", tags=["internal"])
    for listing in listings:
        router.add_api_route(f"/{listing.records}", _endpoint(listing), response_model=Page)
    return router


def _endpoint(listing: Listing) -> Callable[..., Page]:
    def list_records(
        session: ReadSessionDep,
        after: str | None = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    ) -> Page:
        rows = list(session.exec(_page_query(session, listing, after, limit + 1)))
        page = rows[:limit]
        last = getattr(page[-1], listing.key) if len(rows) > limit else None
        return Page(
            items=[listing.public(row).model_dump(mode="json") for row in page], next_after=last
        )

    list_records.__name__ = f"list_{listing.records}"
    return list_records


def _page_query(session: Session, listing: Listing, after: str | None, limit: int) -> Any:
    key = _binary(session, getattr(listing.model, listing.key))
    query = select(listing.model).where(*listing.where)
    if after is not None:
        query = query.where(key > after)
    return query.order_by(key).limit(limit)


def _binary(session: Session, key: InstrumentedAttribute[str]) -> ColumnElement[str]:
    """Order ids by their bytes on every database, as the audit's merge compares them: a
    PostgreSQL database's own collation may ignore punctuation or case; SQLite's is binary."""
    if session.get_bind().dialect.name == "postgresql":
        return key.collate("C")
    return key.expression
