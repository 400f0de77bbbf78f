"""A booking asked for online by someone who is not signed in, waiting for the person to follow
the emailed link (`public/email_confirmation.py`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from fascia.practices.tenancy import PracticeOwned


class UnconfirmedBooking(PracticeOwned):
    """The details form as given, the chosen time and its hold, until the link in the email
    is followed (then `appointment`) or it expires. Only the digest of the link's token is
    kept (`fascia.links`)."""

    email = models.EmailField()
    legal_first_name = models.CharField(max_length=100)
    legal_last_name = models.CharField(max_length=100)
    phone = models.CharField(max_length=30, blank=True)
    service = models.ForeignKey("practices.Service", on_delete=models.CASCADE, related_name="+")
    therapist = models.ForeignKey("practices.Therapist", on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey("practices.Location", on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField()
    visit_street = models.CharField(max_length=200, blank=True)
    visit_unit = models.CharField(max_length=50, blank=True)
    visit_city = models.CharField(max_length=100, blank=True)
    visit_postal_code = models.CharField(max_length=7, blank=True)
    accepts_cancellation_policy = models.BooleanField(default=False)
    hold_token = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=80)
    # The language the person booked in: their emails, and their client record if it is new.
    language = models.CharField(max_length=8, default="en")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    appointment = models.ForeignKey(
        "scheduling.Appointment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="unconfirmed_booking_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} {self.starts_at:%Y-%m-%d %H:%M}"


class ClientSignUp(PracticeOwned):
    """An online account asked for on a practice's booking site, waiting for the emailed link
    that proves the address (`public/client_accounts.py`). The account does not exist until
    then, so nobody can take an address that is not theirs. The password is kept only as its
    hash; only the digest of the link's token is kept."""

    email = models.EmailField()
    legal_first_name = models.CharField(max_length=100)
    legal_last_name = models.CharField(max_length=100)
    password = models.CharField(max_length=128)
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.email


class ClientAccountInvitation(PracticeOwned):
    """ "Set up your online account": the practice invites a client it registered at the desk
    to open a login linked to that record. The link works once, for seven days."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="account_invitations"
    )
    email = models.EmailField()
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.email


class EmailChange(models.Model):
    """A signed-in person's new address, waiting for the link sent to it: the login changes
    only once the new address is proved."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_changes"
    )
    new_email = models.EmailField()
    token_digest = models.CharField(max_length=64, unique=True)
    requested_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.new_email
