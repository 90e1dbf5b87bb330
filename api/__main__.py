from api.config import ApiSettings
from api.main import create_app
from service_app.serve import serve

serve(lambda settings: create_app(settings), ApiSettings())
