"""Restaurants and their menus; orders keeps a replica of them from the event feed."""

from fastapi.responses import JSONResponse

from participant_commands.aggregates import Aggregate
from participant_commands.idempotency import CommandKey
from participant_commands.routes import Creation, aggregate_router
from participants.kitchen.models import (
    Restaurant,
    RestaurantCreate,
    RestaurantPublic,
    RestaurantUpdate,
)
from service_app.web import SessionDep

RESTAURANTS = Aggregate(Restaurant, "restaurant")

CREATE = Creation(
    RestaurantCreate, lambda _, command: Restaurant.open(command), "RestaurantCreated", id_from="id"
)

router = aggregate_router(
    RESTAURANTS, RestaurantPublic, prefix="/restaurants", id_param="restaurant_id", create=CREATE
)


@router.patch("/{restaurant_id}", responses={200: {"model": RestaurantPublic}})
def update_restaurant(
    restaurant_id: str, patch: RestaurantUpdate, session: SessionDep, key: CommandKey
) -> JSONResponse:
    revise = lambda restaurant: restaurant.revise(patch)  # noqa: E731
    return RESTAURANTS.forward(session, key, restaurant_id, revise, "RestaurantUpdated")
