"""Logins (one per person, by email) and the role each staff member holds in a practice."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fascia.practices.tenancy import PracticeOwned


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError(_("A user needs an email address."))
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: staff, or a client using the portal. Email is the login."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        _("platform operator"),
        default=False,
        help_text=_("Operators of this Fascia deployment; practice staff need not be."),
    )
    date_joined = models.DateTimeField(default=timezone.now)
    email_verified_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the person proved the address by following an emailed link."),
    )
    session_generation = models.PositiveIntegerField(
        default=0, help_text=_("Raised by 'sign out everywhere': every older session ends.")
    )
    language = models.CharField(
        max_length=2,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language the person chose for Fascia's pages (blank: their browser's)."),
    )

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's session check (a session ends when the password changes), also ended by
        'sign out everywhere' (`session_generation`). Generation 0 keeps Django's own hash, so
        sessions from before the field existed stay valid."""
        from django.utils.crypto import salted_hmac

        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        return salted_hmac(
            "fascia.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Role(models.TextChoices):
    """What a staff member does in the practice; access policies are written in these terms."""

    OWNER = "owner", _("Owner")
    THERAPIST = "therapist", _("Therapist")
    FRONT_DESK = "front_desk", _("Front desk")
    BOOKKEEPER = "bookkeeper", _("Bookkeeper")


class StaffMember(PracticeOwned):
    """A user's place on a practice's staff, with their role."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["practice", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "user"], name="staff_one_role_per_practice")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 digest is stored; the token itself is
    shown once, when it is made. Like a login, it spans practices."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Refused from this moment on; none: until revoked.")
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The token's first characters (prefix and four more), so its owner can tell tokens apart.
    hint = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"API token for {self.user} ({self.label or 'unnamed'})"


class StaffInvitation(PracticeOwned):
    """An emailed invitation to join the practice's staff in one role. Its link works once,
    for `INVITATION_DAYS`, and carries a token derived from the secret key and the invitation's
    `generation` (resending makes a new one and the old link stops working); only the token's
    SHA-256 is stored."""

    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    generation = models.PositiveIntegerField(default=1)
    token_digest = models.CharField(max_length=64, unique=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} ({self.get_role_display()})"

    def is_pending(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at


class RecoveryCode(models.Model):
    """One of a person's one-time codes for signing in without their phone (two-step sign-in,
    `fascia.accounts.two_factor`). Only the digest is kept; using it sets `used_at`."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "digest"], name="recovery_code_lookup")]

    def __str__(self) -> str:
        return f"Recovery code of {self.user}"
