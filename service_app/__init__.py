"""What every service process is made of: the FastAPI app, its settings, fault injection, serving."""
