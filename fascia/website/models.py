"""The practice's public website: its own words and photo, the conditions-guide pages it hides
or annotates, and the messages its contact form receives."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fascia.practices.tenancy import PracticeOwned


class PracticeWebsite(PracticeOwned):
    """What the owner writes for the practice's site (everything else on it — services,
    therapists, locations, hours, areas, the cancellation policy — comes from the practice's
    own records, so the site is never out of date)."""

    headline = models.CharField(
        _("headline"),
        max_length=120,
        blank=True,
        help_text=_("The first line visitors read, e.g. 'Registered massage therapy in Brampton'."),
    )
    introduction = models.TextField(
        _("about the practice"),
        max_length=3000,
        blank=True,
        help_text=_("A few paragraphs in your own words: who you are, whom you help, how."),
    )
    photo = models.ImageField(_("photo"), upload_to="practice-photos/", blank=True)
    photo_description = models.CharField(
        _("what the photo shows"),
        max_length=200,
        blank=True,
        help_text=_("Read aloud to people who cannot see it, e.g. 'Our treatment room'."),
    )
    insurance_information = models.TextField(
        _("insurance information"),
        max_length=2000,
        blank=True,
        help_text=_("Anything clients should know about claiming, in your own words."),
    )
    direct_billing = models.BooleanField(
        _("we bill some insurers directly"),
        default=False,
    )
    direct_billing_insurers = models.CharField(
        _("insurers billed directly"),
        max_length=300,
        blank=True,
        help_text=_("e.g. Sun Life, Manulife, Green Shield Canada"),
    )
    contact_form_open = models.BooleanField(
        _("contact form on the site"),
        default=True,
        help_text=_("Messages arrive in Fascia and by email to the practice's address."),
    )
    in_directory = models.BooleanField(
        _("list our therapists in the directory"),
        default=False,
        help_text=_(
            "Clients searching every practice on this server (by town, technique, language…) "
            "can find your therapists and book with you."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice"], name="practice_website_one_per_practice"),
        ]

    def __str__(self) -> str:
        return str(_("Website of %(practice)s") % {"practice": self.practice_id})


class ConditionNote(PracticeOwned):
    """A practice's choice about one page of the conditions guide: hidden, or shown with a
    note of its own (e.g. which therapist has a special interest)."""

    condition = models.SlugField(max_length=60)
    hidden = models.BooleanField(_("hidden from our site"), default=False)
    note = models.TextField(_("our note"), max_length=1000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "condition"], name="condition_note_one_per_condition"
            ),
        ]

    def __str__(self) -> str:
        return self.condition


class ContactMessage(PracticeOwned):
    """A message sent with the site's contact form. It may hold health information a visitor
    chose to write, so only the practice's client-facing staff read it."""

    class Topic(models.TextChoices):
        GENERAL = "general", _("A question")
        ACCESSIBILITY = "accessibility", _("Accessibility feedback or a document in another format")

    topic = models.CharField(max_length=16, choices=Topic.choices, default=Topic.GENERAL)
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    message = models.TextField(_("message"), max_length=3000)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # A keyed digest of the sender's network address, for the per-address limit (never the
    # address itself).
    sender_digest = models.CharField(max_length=64, blank=True, db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"
