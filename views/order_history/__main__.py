"""`python -m views.order_history`: serve the view on its settings' host and port."""

from service_app.serve import serve
from views.order_history.config import Settings
from views.order_history.main import create_app

serve(create_app, Settings())
