"""Development: `make run`. Every value can still be overridden from the environment."""

from config.settings.base import *  # noqa: F403
from config.settings.base import SIMPLE_JWT, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdef")
SIMPLE_JWT["SIGNING_KEY"] = env("JWT_SIGNING_KEY", default="") or SECRET_KEY
