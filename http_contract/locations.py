"""Where the participants listen unless settings say otherwise: their base URL fields."""

from pydantic_settings import BaseSettings


class ParticipantLocations(BaseSettings):
    """The four participants' base URLs; a subclass gives its settings' environment prefix."""

    consumers_url: str = "http://127.0.0.1:8101"
    orders_url: str = "http://127.0.0.1:8102"
    kitchen_url: str = "http://127.0.0.1:8103"
    accounting_url: str = "http://127.0.0.1:8104"
