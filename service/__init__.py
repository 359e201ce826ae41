"""The edges of tm: the HTTP service, the `tm` command and the pipelines that chain stages."""

from service.app import create_app
from service.settings import Settings

__all__ = ["Settings", "create_app"]
