"""Restaurants and their menus; orders keeps a replica of them from the event feed."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlmodel import Session

from common.errors import Conflict, NotFound
from common.idempotency import Answer, IdempotencyKey, run_idempotent
from common.outbox import record_event
from common.web import SessionDep
from participants.kitchen.models import (
    Restaurant,
    RestaurantCreate,
    RestaurantPublic,
    RestaurantUpdate,
)

router = APIRouter(prefix="/restaurants", tags=["restaurants"])


def _load(session: Session, restaurant_id: str, *, for_update: bool = False) -> Restaurant:
    restaurant = session.get(Restaurant, restaurant_id, with_for_update=for_update)
    if restaurant is None:
        raise NotFound("restaurant_not_found", f"restaurant {restaurant_id} not found")
    return restaurant


def _save(session: Session, restaurant: Restaurant, event_type: str) -> RestaurantPublic:
    session.add(restaurant)
    public = restaurant.public()
    record_event(session, event_type, "restaurant", restaurant.id, public.model_dump(mode="json"))
    return public


@router.post("", status_code=201, response_model=RestaurantPublic)
def create_restaurant(
    command: RestaurantCreate, session: SessionDep, key: IdempotencyKey = None
) -> JSONResponse:
    def open_restaurant() -> Answer:
        if command.id is not None and session.get(Restaurant, command.id) is not None:
            raise Conflict("restaurant_exists", f"restaurant {command.id} exists already")
        return 201, _save(session, Restaurant.open(command), "RestaurantCreated")

    return run_idempotent(session, key, open_restaurant)


@router.get("/{restaurant_id}", response_model=RestaurantPublic)
def get_restaurant(restaurant_id: str, session: SessionDep) -> RestaurantPublic:
    return _load(session, restaurant_id).public()


@router.patch("/{restaurant_id}", response_model=RestaurantPublic)
def update_restaurant(
    restaurant_id: str, patch: RestaurantUpdate, session: SessionDep, key: IdempotencyKey = None
) -> JSONResponse:
    def revise() -> Answer:
        restaurant = _load(session, restaurant_id, for_update=True)
        restaurant.revise(patch)
        return 200, _save(session, restaurant, "RestaurantUpdated")

    return run_idempotent(session, key, revise)
