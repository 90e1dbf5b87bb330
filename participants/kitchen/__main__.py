from common.serve import serve
from participants.kitchen.config import Settings
from participants.kitchen.main import create_app

serve(create_app, Settings())
