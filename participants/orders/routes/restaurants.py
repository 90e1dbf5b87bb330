"""Read access to the orders service's restaurant replica."""

from fastapi import APIRouter

from common.errors import NotFound
from common.web import ReadSessionDep
from participants.orders.models import ReplicaRestaurant

router = APIRouter(prefix="/restaurants", tags=["restaurants"])


@router.get("/{restaurant_id}", response_model=ReplicaRestaurant)
def get_restaurant(restaurant_id: str, session: ReadSessionDep) -> ReplicaRestaurant:
    restaurant = session.get(ReplicaRestaurant, restaurant_id)
    if restaurant is None:
        raise NotFound("restaurant_not_found", f"restaurant {restaurant_id} is not in the replica")
    return restaurant
