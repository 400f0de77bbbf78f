"""Settings shared by every profile. Values that differ between deployments come from the
environment (see README.md, "Configuration")."""

from datetime import timedelta
from pathlib import Path

from fascia.settings import environment

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(environment.env.str("FASCIA_DATA_DIR", default=str(Path.cwd() / "var")))

DEBUG = False
SECRET_KEY = environment.secret("SECRET_KEY") or ""
ALLOWED_HOSTS = environment.host_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = environment.host_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, as it asks
    "fascia.admin_apps.FasciaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "phonenumber_field",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Domain apps, from the floor up (see docs/architecture.md).
    "fascia.practices",
    "fascia.accounts",
    "fascia.audit",
    "fascia.clients",
    "fascia.professional",
    "fascia.notifications",
    "fascia.scheduling",
    "fascia.mobile",
    "fascia.records",
    "fascia.privacy",
    "fascia.billing",
    "fascia.pay",
    "fascia.website",
    # Interfaces.
    "fascia.staff",
    "fascia.public",
    "fascia.api",
    "fascia.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fascia.api.remembered_answers.RememberedAnswerMiddleware",  # repeat questions, at the door
    "fascia.validation.StorableInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fascia.accounts.tokens.BearerTokenMiddleware",
    "fascia.languages.LanguageChoiceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fascia.accounts.middleware.PracticeContextMiddleware",
    "fascia.accounts.middleware.IdleTimeoutMiddleware",
    "fascia.accounts.middleware.TwoFactorMiddleware",
    "fascia.accounts.access.AccessPolicyMiddleware",
    "fascia.records.care_views.NotInCareMiddleware",  # a record not in the therapist's care
    "axes.middleware.AxesMiddleware",  # last: turns a refused sign-in into the lockout page
]

ROOT_URLCONF = "fascia.urls"
WSGI_APPLICATION = "fascia.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fascia.accounts.context_processors.practice",
                "fascia.languages.language_links",
            ],
        },
    },
]

DATABASES = {"default": environment.database(DATA_DIR / "fascia.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Remembered availability answers (scheduling/remembered.py), shared between processes.
CACHES = {"default": environment.cache(DATA_DIR / "cache")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # counts failures; refuses while locked out
    "fascia.accounts.backends.AccountBackend",  # Django's ModelBackend, its per-request read plain
]
# Passwords are hashed with Argon2; older hashes are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Sign-in throttling (django-axes, see docs/security.md): failures are counted per account and,
# separately, per network address (a clinic's front desk shares one, so it may fail more).
AXES_FAILURE_LIMIT = environment.env.int("SIGN_IN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=environment.env.int("SIGN_IN_PAUSE_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "fascia.accounts.lockout.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "fascia.accounts.lockout.attempted_username"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:after-login"
LOGOUT_REDIRECT_URL = "public:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-ca"
LANGUAGES = [("en", "English"), ("fr", "Français")]
# What a practice writes for clients (services, its site, policies, exercises) is kept in both
# languages (`<app>/translation.py`); a reader sees their own, or the other when that is all
# there is.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "fr")
# The French catalogue ships inside the package (compiled .mo files included).
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# The deployment's default; each practice has its own time zone, activated per request.
TIME_ZONE = environment.time_zone("America/Toronto")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Uploaded files holding health information (referral notes): never under MEDIA_ROOT, served
# only through access-checked, audited views.
PRIVATE_MEDIA_ROOT = DATA_DIR / "private"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

_email = environment.email(default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = environment.env.str("DEFAULT_FROM_EMAIL", default="fascia@localhost")

SMS_BACKEND = environment.env.str(
    "SMS_BACKEND", default="fascia.notifications.sms.ConsoleSmsBackend"
)

# Where homes are and how long drives take (offline defaults; see scheduling/geography.py and
# scheduling/travel.py for the HTTP backends).
GEOCODER_URL = environment.env.str("GEOCODER_URL", default="service-areas://")
TRAVEL_URL = environment.env.str("TRAVEL_URL", default="estimate://")

# What `fascia worker` runs every round; each job is safe to run in several workers at once.
FASCIA_WORKER_JOBS = [
    "fascia.scheduling.messages.queue_due_reminders",
    "fascia.notifications.outbox.deliver_due_messages",
    "fascia.scheduling.holds.release_expired_holds",
    "fascia.mobile.safety.raise_overdue_safety_alerts",
    "fascia.scheduling.waitlist.expire_waitlist_offers",
    "fascia.public.email_confirmation.forget_unconfirmed_bookings",
    "fascia.professional.reminders.queue_expiry_reminders",
    "fascia.audit.chain.take_daily_checkpoints",
]

# Mail each day's audit-log checkpoint to the practice's owners as well as logging it.
FASCIA_AUDIT_CHECKPOINT_EMAIL = environment.env.bool("FASCIA_AUDIT_CHECKPOINT_EMAIL", default=False)

# The secret backups are encrypted with (`fascia backup`): FASCIA_BACKUP_KEY, or a file named by
# FASCIA_BACKUP_KEY_FILE. Keep a copy away from the backups: without it they cannot be read.
FASCIA_BACKUP_KEY = environment.secret("FASCIA_BACKUP_KEY") or ""

# PostgreSQL: each server process listens for schedule-stamp changes and keeps the digests it
# has read, so a repeat availability question asks the database nothing
# (`scheduling/stamp_listener.py`). Off in development and tests; on in production.
FASCIA_STAMP_LISTENER = environment.env.bool("FASCIA_STAMP_LISTENER", default=False)
# PostgreSQL: the availability engine's appointments read is prepared once per connection
# (`scheduling/schedule_rows.py`). Turn off behind a pooler that gives each transaction another
# server connection (PgBouncer in transaction mode before 1.21).
FASCIA_PREPARED_READS = environment.env.bool("DATABASE_PREPARED_READS", default=True)

# Paragraphs other apps add to appointment messages (see scheduling/messages.py).
FASCIA_MESSAGE_EXTRAS = ["fascia.records.invitations.health_history_invitation"]

# Sections other apps add to a client's copy of their whole record (records/whole_record.py).
FASCIA_WHOLE_RECORD_SECTIONS = ["fascia.billing.record_copy.RECEIPTS"]

# Documents emails may carry, by kind, drawn up when the message is sent (notifications/outbox.py).
FASCIA_ATTACHMENTS = {"receipt": "fascia.billing.receipts.receipt_attachment"}

# Links that carry a secret, made when the message is sent (fascia/links.py), by kind.
FASCIA_LINKS = {
    "intake": "fascia.records.invitations.intake_link_url",
    "waitlist-offer": "fascia.scheduling.waitlist.offer_link_url",
    "booking-confirmation": "fascia.public.email_confirmation.confirmation_link_url",
    "password-reset": "fascia.public.password_reset.reset_link_url",
    "staff-invitation": "fascia.accounts.invitations.invitation_link_url",
    "client-sign-up": "fascia.public.client_accounts.sign_up_link_url",
    "client-account-invitation": "fascia.public.client_accounts.client_invitation_link_url",
    "email-change": "fascia.public.client_accounts.email_change_link_url",
    "visit-change": "fascia.mobile.week_moves.change_link_url",
}

# A password-reset link works once (the change spends it) and for an hour.
PASSWORD_RESET_TIMEOUT = 60 * 60

# Whether a visit's treatment is on record, so it can no longer be cancelled or missed
# (see scheduling/booking.py).
FASCIA_TREATMENT_RECORDED = ["fascia.records.notes.treatment_on_record"]

# Warnings other apps add when a visit is booked (see scheduling/booking.py).
FASCIA_BOOKING_WARNINGS = [
    "fascia.records.queries.alert_warnings",
    "fascia.billing.referrals.referral_warnings",
    "fascia.billing.claims.claim_warnings",
]

# The address clients reach this server at, for links in email and texts.
FASCIA_BASE_URL = environment.env.str("FASCIA_BASE_URL", default="http://127.0.0.1:8000")

# Who may start a practice: "open" (anyone, from "Start your practice") or "invitation" (only
# with a link a platform operator makes with `fascia createpractice --invite EMAIL`).
FASCIA_PRACTICE_SIGN_UP = environment.env.str("PRACTICE_SIGN_UP", default="open")

PHONENUMBER_DEFAULT_REGION = "CA"
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"

# Django's database sessions, read with one plain query (fascia/accounts/sessions.py).
SESSION_ENGINE = "fascia.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
# Idle sessions end: staff (who see health records) sooner than clients.
FASCIA_STAFF_IDLE_MINUTES = environment.integer("STAFF_IDLE_MINUTES", 30)
FASCIA_CLIENT_IDLE_MINUTES = environment.integer("CLIENT_IDLE_MINUTES", 120)
# Two-step sign-in (fascia/accounts/two_factor.py): "required" of every staff member, or
# "optional". Production requires it; the demo leaves it optional so its logins stay one step.
FASCIA_STAFF_TWO_FACTOR = environment.env.str("STAFF_TWO_FACTOR", default="optional")
OTP_TOTP_ISSUER = "Fascia"
SESSION_COOKIE_AGE = environment.integer("SESSION_COOKIE_AGE", 8 * 60 * 60)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Demo logins (fascia demo) are created only where this is true; production forbids it.
FASCIA_ALLOW_DEMO = environment.boolean("FASCIA_ALLOW_DEMO", True)

LOG_LEVEL = environment.env.str("LOG_LEVEL", default="INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The handler's level too: records from Django's own loggers reach it by propagation,
    # which the root logger's level does not filter.
    "handlers": {"console": {"class": "logging.StreamHandler", "level": LOG_LEVEL}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
