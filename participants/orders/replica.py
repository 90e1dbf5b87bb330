"""Keeps the restaurant replica current from kitchen's restaurant events."""

from sqlmodel import Session

from event_feed.subscriber import Event
from participants.orders.models import ReplicaRestaurant

RESTAURANT_EVENTS = {"RestaurantCreated", "RestaurantUpdated"}


def apply_kitchen_event(session: Session, event: Event) -> None:
    if event["event_type"] not in RESTAURANT_EVENTS:
        return
    data = event["payload"]
    restaurant = session.get(ReplicaRestaurant, data["id"]) or ReplicaRestaurant(
        id=data["id"], name=""
    )
    restaurant.name = data["name"]
    restaurant.accepting_orders = data["accepting_orders"]
    restaurant.menu_items = [dict(item) for item in data["menu_items"]]
    session.add(restaurant)
