"""Read access to the orders service's restaurant replica."""

from fastapi import APIRouter

from http_contract.errors import NotFound
from participants.orders.models import ReplicaRestaurant
from service_app.web import ReadSessionDep

router = APIRouter(prefix="/restaurants", tags=["restaurants"])


@router.get("/{restaurant_id}", response_model=ReplicaRestaurant)
def get_restaurant(restaurant_id: str, session: ReadSessionDep) -> ReplicaRestaurant:
    restaurant = session.get(ReplicaRestaurant, restaurant_id)
    if restaurant is None:
        raise NotFound("restaurant_not_found", f"restaurant {restaurant_id} is not in the replica")
    return restaurant
