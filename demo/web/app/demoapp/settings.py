"""Settings for the faultline demo. Everything that differs between the resilient,
fragile and lossy configurations comes from the environment, so one image serves all."""
import os


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be 1/0/true/false, got {value!r}")


def env_conn_max_age(name, default):
    # Django reads None as "keep the connection forever", 0 as "close after each request".
    value = os.environ.get(name, default)
    if value.lower() in ("none", "forever", "unlimited"):
        return None
    try:
        seconds = int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number of seconds or 'none', got {value!r}")
    if seconds < 0:
        raise ValueError(f"{name} must be >= 0 or 'none', got {value!r}")
    return seconds


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "faultline-demo-not-a-secret")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = ["orders"]
# No CSRF middleware: the API is called by load generators, not browsers.
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "demoapp.urls"
WSGI_APPLICATION = "demoapp.wsgi.application"
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": os.environ.get("DB_HOST", "db"),
        "PORT": os.environ.get("DB_PORT", "5432"),
        "NAME": os.environ.get("DB_NAME", "demo"),
        "USER": os.environ.get("DB_USER", "demo"),
        "PASSWORD": os.environ.get("DB_PASSWORD", "demo"),
        "CONN_MAX_AGE": env_conn_max_age("DJANGO_CONN_MAX_AGE", "0"),
        "CONN_HEALTH_CHECKS": env_bool("DJANGO_CONN_HEALTH_CHECKS", False),
        # libpq waits forever for a connection by default; a partitioned database would
        # then hang workers until Gunicorn's timeout instead of failing fast.
        "OPTIONS": {"connect_timeout": int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))},
    }
}

# Lossy mode acknowledges every ORDERS_LOSSY_EVERY-th order (by id) but rolls it back:
# a deliberately broken stack for the lost-writes check.
ORDERS_LOSSY = env_bool("ORDERS_LOSSY", False)
ORDERS_LOSSY_EVERY = int(os.environ.get("ORDERS_LOSSY_EVERY", "5"))
if ORDERS_LOSSY_EVERY < 1:
    raise ValueError(f"ORDERS_LOSSY_EVERY must be >= 1, got {ORDERS_LOSSY_EVERY}")

# Everything to stdout/stderr so `docker logs web` shows it. With DEBUG=False Django's
# default logging mails 500 tracebacks to admins and prints nothing; here they go to
# stderr, which is what "error visibility" checks look for.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # django.server is runserver's access log; Gunicorn writes its own.
        "django.server": {"handlers": [], "level": "ERROR", "propagate": False},
    },
}
