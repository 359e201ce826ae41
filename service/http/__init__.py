"""The HTTP edge: the FastAPI app, its routes and schemas, keys and roles, jobs, hygiene."""

from service.http.app import create_app

__all__ = ["create_app"]
