"""Production profile: secrets required, HTTPS everywhere, no demo data. Passes
`fascia check --deploy`."""

from fascia.settings import environment
from fascia.settings.base import *  # noqa: F403
from fascia.settings.base import SECRET_KEY

DEBUG = False
if not SECRET_KEY:
    raise environment.SettingsError(
        "SECRET_KEY must be set in the environment (or SECRET_KEY_FILE) for production."
    )
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise environment.SettingsError(
        "SECRET_KEY must be at least 50 random characters for production; generate one with "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'."
    )
if environment.boolean("FASCIA_ALLOW_DEMO", False):
    raise environment.SettingsError("FASCIA_ALLOW_DEMO cannot be turned on in production.")
FASCIA_ALLOW_DEMO = False
FASCIA_STAMP_LISTENER = environment.boolean("FASCIA_STAMP_LISTENER", True)
# A self-hosted practice: practices are added by invitation unless PRACTICE_SIGN_UP=open.
FASCIA_PRACTICE_SIGN_UP = environment.env.str("PRACTICE_SIGN_UP", default="invitation")
# Staff sign in with a code from an authenticator app as well as the password.
FASCIA_STAFF_TWO_FACTOR = environment.env.str("STAFF_TWO_FACTOR", default="required")

SECURE_SSL_REDIRECT = environment.boolean("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = environment.integer("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
