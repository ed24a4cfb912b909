# Settings of the silent-logs demo (docker-compose.silent.yml): the demo's settings with a LOGGING
# that many real projects end up with, where failed requests leave no trace in the log.
from .settings import *  # noqa: F401,F403

LOGGING["loggers"]["django.request"] = {"handlers": [], "level": "CRITICAL", "propagate": False}  # noqa: F405
LOGGING["loggers"]["orders"] = {"handlers": [], "level": "CRITICAL", "propagate": False}  # noqa: F405
