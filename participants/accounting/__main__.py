from participants.accounting.config import Settings
from participants.accounting.main import create_app
from service_app.serve import serve

serve(create_app, Settings())
