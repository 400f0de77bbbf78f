"""Every write to the practice's website: the owner's words and photo, the conditions-guide
choices, and the contact form's messages (received, limited per sender, answered)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from fascia.accounts.models import User
from fascia.notifications.outbox import Message, enqueue
from fascia.practice_words import in_both_languages, settle_original_columns
from fascia.practices.models import Practice
from fascia.website.conditions import BY_SLUG
from fascia.website.models import ConditionNote, ContactMessage, PracticeWebsite

# What the owner writes for the site, in the order the owner's page asks for it.
WEBSITE_FIELDS = (
    "headline",
    "introduction",
    "photo",
    "photo_description",
    "insurance_information",
    "direct_billing",
    "direct_billing_insurers",
    "contact_form_open",
    "in_directory",
)
# The contact form's limits: a person writes a few times; a robot is refused.
MESSAGES_PER_SENDER_PER_HOUR = 3
MESSAGES_PER_PRACTICE_PER_DAY = 100
LINKS_PER_MESSAGE = 2
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]|javascript\s*:|\bon[a-z]+\s*=", re.IGNORECASE)
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


class ContactRefused(Exception):
    """The contact form's message was not taken (the sender wrote too often)."""


def save_website(practice: Practice, **fields: Any) -> PracticeWebsite:
    """Save the owner's words, photo and insurance details for the practice's site."""
    unknown = (
        set(fields) - set(WEBSITE_FIELDS) - set(in_both_languages(PracticeWebsite, WEBSITE_FIELDS))
    )
    if unknown:
        raise ValueError(f"Not website fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        website, _created = PracticeWebsite.objects.select_for_update().get_or_create(
            practice=practice
        )
        for name, value in fields.items():
            setattr(website, name, value)
        settle_original_columns(website)
        problems = {}
        if website.photo and not website.photo_description.strip():
            problems["photo_description_en"] = _(
                "Say what the photo shows, for people who cannot see it."
            )
        if website.direct_billing and not website.direct_billing_insurers.strip():
            problems["direct_billing_insurers"] = _("Name the insurers you bill directly.")
        if problems:
            raise ValidationError(problems)
        website.full_clean(exclude=["photo"])
        website.save()
    return website


def set_condition_note(
    practice: Practice, condition: str, *, hidden: bool, note: str, note_fr: str = ""
) -> ConditionNote | None:
    """Hide or show one page of the conditions guide on the practice's site, with its note (in
    English, and in French if given). Back to the guide as shipped (shown, no note) leaves no
    row."""
    if condition not in BY_SLUG:
        raise ValidationError(_("There is no such page in the conditions guide."))
    note, note_fr = note.strip(), note_fr.strip()
    with transaction.atomic():
        if not hidden and not note and not note_fr:
            ConditionNote.objects.for_practice(practice).filter(condition=condition).delete()
            return None
        choice, _created = ConditionNote.objects.update_or_create(
            practice=practice,
            condition=condition,
            defaults={"hidden": hidden, "note_en": note, "note_fr": note_fr},
        )
        choice.full_clean()
    return choice


def check_plain_text(text: str, *, links_allowed: int | None = None) -> None:
    """Refuse markup and scripts in text a visitor sends (it is shown and emailed as text)."""
    if MARKUP.search(text):
        raise ValidationError(_("Write plain text: no HTML, scripts or code."), code="markup")
    if links_allowed is not None and len(LINK.findall(text)) > links_allowed:
        raise ValidationError(
            _("Please include at most %(count)d web links.") % {"count": links_allowed},
            code="links",
        )


def sender_digest(address: str | None) -> str:
    return salted_hmac("fascia.website.contact", address or "unknown").hexdigest()


def receive_contact_message(
    practice: Practice,
    *,
    name: str,
    email: str,
    message: str,
    phone: str = "",
    address: str | None = None,
    topic: str = ContactMessage.Topic.GENERAL,
) -> ContactMessage:
    """Take a message from the site's contact form into the practice's inbox and email it to
    the practice. A sender (by network address) may write a few times an hour, and a practice
    receives at most so many a day; past that the message is refused (ContactRefused)."""
    now = timezone.now()
    digest = sender_digest(address)
    with transaction.atomic():
        recent = ContactMessage.objects.for_practice(practice)
        if (
            recent.filter(sender_digest=digest, received_at__gte=now - timedelta(hours=1)).count()
            >= MESSAGES_PER_SENDER_PER_HOUR
        ):
            raise ContactRefused(
                _("You have sent several messages in the last hour. Please wait, or call us.")
            )
        if (
            recent.filter(received_at__gte=now - timedelta(days=1)).count()
            >= MESSAGES_PER_PRACTICE_PER_DAY
        ):
            raise ContactRefused(
                _("The practice cannot take more messages today. Please call or email it.")
            )
        received = ContactMessage(
            practice=practice,
            topic=topic,
            name=name.strip(),
            email=email.strip(),
            phone=phone.strip(),
            message=message.strip(),
            sender_digest=digest,
        )
        received.full_clean()
        received.save()
        if practice.email:
            enqueue(
                practice,
                Message(
                    channel="email",
                    to=practice.email,
                    subject=(
                        _("Accessibility feedback from %(name)s")
                        if topic == ContactMessage.Topic.ACCESSIBILITY
                        else _("Website message from %(name)s")
                    )
                    % {"name": received.name},
                    body=_(
                        "%(name)s wrote through your website's contact form.\n\n"
                        "Email: %(email)s\nPhone: %(phone)s\n\n%(message)s\n\n"
                        "Reply to them at their email address; the message is also in Fascia "
                        "under Website messages."
                    )
                    % {
                        "name": received.name,
                        "email": received.email,
                        "phone": received.phone or "—",
                        "message": received.message,
                    },
                    dedupe_key=f"contact:{received.pk}",
                ),
            )
    return received


def mark_contact_answered(message: ContactMessage, by: User) -> ContactMessage:
    """The practice has answered this website message."""
    with transaction.atomic():
        updated = ContactMessage.objects.filter(pk=message.pk, answered_at__isnull=True).update(
            answered_at=timezone.now(), answered_by=by
        )
    if updated:
        message.refresh_from_db()
    return message
