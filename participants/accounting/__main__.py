from common.serve import serve
from participants.accounting.config import Settings
from participants.accounting.main import create_app

serve(create_app, Settings())
