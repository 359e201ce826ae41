"""The edges of tm (`service.http`, `service.cli`, joined in `service.main`) and the pipelines
they both call (`service.pipelines`)."""

from service.settings import Settings

__all__ = ["Settings"]
