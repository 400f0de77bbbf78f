"""The practice's clients: who they are, how to reach them, and how they agreed to be
contacted."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from fascia.practices.models import Address, Gender
from fascia.practices.tenancy import PracticeOwned, PracticeOwnedQuerySet


class ClientQuerySet(PracticeOwnedQuerySet):
    def search(self, text: str) -> ClientQuerySet:
        query = Q()
        for word in text.split():
            query &= (
                Q(legal_first_name__icontains=word)
                | Q(legal_last_name__icontains=word)
                | Q(preferred_name__icontains=word)
                | Q(email__icontains=word)
                | Q(phone__icontains=word)
            )
        return self.filter(query)


ClientManager = models.Manager.from_queryset(ClientQuerySet)


class Client(PracticeOwned, Address):
    """A person who receives (or may receive) massage therapy from the practice.

    The home address is where in-home visits happen. Records are never deleted: the regulator
    requires them kept 10 years after the last visit (or the client's 28th birthday).
    """

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("Français")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="client_records",
        help_text=_("The client's own login to the portal, if they have one."),
    )
    legal_first_name = models.CharField(verbose_name=_("legal first name"), max_length=100)
    legal_last_name = models.CharField(verbose_name=_("legal last name"), max_length=100)
    preferred_name = models.CharField(verbose_name=_("preferred name"), max_length=100, blank=True)
    pronouns = models.CharField(verbose_name=_("pronouns"), max_length=40, blank=True)
    date_of_birth = models.DateField(verbose_name=_("date of birth"), null=True, blank=True)
    email = models.EmailField(verbose_name=_("email"), blank=True)
    phone = PhoneNumberField(_("mobile phone"), blank=True)
    other_phone = PhoneNumberField(verbose_name=_("other phone"), blank=True)
    preferred_language = models.CharField(
        verbose_name=_("preferred language"),
        max_length=2,
        choices=Language.choices,
        default=Language.ENGLISH,
    )
    brought_by = models.ForeignKey(
        "practices.Therapist",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("own client of"),
        help_text=_(
            "The therapist who brought this client to the practice (their pay rule for "
            "own clients applies)."
        ),
    )
    keeps_their_therapist = models.BooleanField(
        _("only with their own therapist"),
        default=False,
        help_text=_(
            "Never offer to move their visits to another therapist or time to save driving."
        ),
    )
    prefers_therapist_gender = models.CharField(
        _("prefers a therapist who is"),
        max_length=12,
        choices=Gender.choices,
        blank=True,
    )
    emergency_contact_name = models.CharField(
        verbose_name=_("emergency contact name"), max_length=150, blank=True
    )
    emergency_contact_relationship = models.CharField(
        verbose_name=_("emergency contact relationship"), max_length=60, blank=True
    )
    emergency_contact_phone = PhoneNumberField(
        verbose_name=_("emergency contact phone"), blank=True
    )
    home_access_notes = models.TextField(
        _("home visit notes"),
        blank=True,
        help_text=_("For in-home visits: parking, buzzer, stairs, pets."),
    )

    # Communication consents (CASL: express consent, kept with when it was given).
    consents_to_email_reminders = models.BooleanField(_("email reminders"), default=True)
    consents_to_sms_reminders = models.BooleanField(_("text-message reminders"), default=False)
    consents_to_marketing_email = models.BooleanField(_("news and offers by email"), default=False)
    consents_updated_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[ClientManager] = ClientManager()

    class Meta:
        ordering = ["legal_last_name", "legal_first_name", "id"]
        indexes = [
            # Serves the client list's ordering within a practice without a sort.
            models.Index(
                fields=["practice", "legal_last_name", "legal_first_name", "id"],
                name="client_name_order_idx",
            ),
            models.Index(fields=["practice", "email"], name="client_email_idx"),
            models.Index(fields=["practice", "created_at"], name="client_joined_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.legal_first_name
        return f"{first} {self.legal_last_name}"

    @property
    def legal_name(self) -> str:
        return f"{self.legal_first_name} {self.legal_last_name}"

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
