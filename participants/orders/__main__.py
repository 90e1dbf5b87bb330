from participants.orders.config import Settings
from participants.orders.main import create_app
from service_app.serve import serve

serve(create_app, Settings())
