from participants.consumers.config import Settings
from participants.consumers.main import create_app
from service_app.serve import serve

serve(create_app, Settings())
