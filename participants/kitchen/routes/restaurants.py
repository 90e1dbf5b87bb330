"""Restaurants and their menus; orders keeps a replica of them from the event feed."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from participant_commands.aggregates import Aggregate
from participant_commands.idempotency import CommandKey
from participants.kitchen.models import (
    Restaurant,
    RestaurantCreate,
    RestaurantPublic,
    RestaurantUpdate,
)
from service_app.web import ReadSessionDep, SessionDep

router = APIRouter(prefix="/restaurants", tags=["restaurants"])

RESTAURANTS = Aggregate(Restaurant, "restaurant")


@router.post("", status_code=201, response_model=RestaurantPublic)
def create_restaurant(
    command: RestaurantCreate, session: SessionDep, key: CommandKey
) -> JSONResponse:
    return RESTAURANTS.create(
        session, key, command.id, lambda: Restaurant.open(command), "RestaurantCreated"
    )


@router.get("/{restaurant_id}", response_model=RestaurantPublic)
def get_restaurant(restaurant_id: str, session: ReadSessionDep) -> RestaurantPublic:
    return RESTAURANTS.load(session, restaurant_id).public()


@router.patch("/{restaurant_id}", response_model=RestaurantPublic)
def update_restaurant(
    restaurant_id: str, patch: RestaurantUpdate, session: SessionDep, key: CommandKey
) -> JSONResponse:
    def revise(restaurant: Restaurant) -> None:
        restaurant.revise(patch)

    return RESTAURANTS.forward(session, key, restaurant_id, revise, "RestaurantUpdated")
