from common.serve import serve
from participants.consumers.config import Settings
from participants.consumers.main import create_app

serve(create_app, Settings())
