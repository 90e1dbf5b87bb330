from common.serve import serve
from participants.orders.config import Settings
from participants.orders.main import create_app

serve(create_app, Settings())
