from participants.kitchen.config import Settings
from participants.kitchen.main import create_app
from service_app.serve import serve

serve(create_app, Settings())
