"""What the practice tells clients about their appointments, and when: confirmation, change,
cancellation, and a reminder before the visit (by email, and by text if the client agreed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fascia.clients.models import Client
from fascia.notifications.models import Channel
from fascia.notifications.outbox import Message, enqueue
from fascia.practices.models import Practice
from fascia.scheduling.calendar_files import client_invitation, place_text
from fascia.scheduling.models import Appointment, AppointmentStatus
from fascia.scheduling.wording import when_text_of

SUBJECTS = {
    "booked": gettext_lazy("Your appointment is booked"),
    "moved": gettext_lazy("Your appointment has moved"),
    "cancelled": gettext_lazy("Your appointment is cancelled"),
    "reminder": gettext_lazy("Reminder: your appointment"),
}


def when_text(appointment: Appointment) -> str:
    """The visit's day and time in the practice's zone, written the reader's way
    ("Monday, March 3 at 10:00 AM"; "lundi 3 mars à 10 h 00")."""
    return when_text_of(appointment.starts_at.astimezone(appointment.practice.zone))


def appointment_text(appointment: Appointment, event: str) -> str:
    practice = appointment.practice
    client = appointment.client
    therapist = appointment.therapist
    first = client.preferred_name or client.legal_first_name
    what = _("%(service)s (%(minutes)s min) with %(therapist)s, %(credentials)s") % {
        "service": appointment.service.name,
        "minutes": appointment.duration_minutes,
        "therapist": therapist.display_name,
        "credentials": therapist.credentials,
    }
    when = when_text(appointment)
    lines = {
        "booked": _("Hi %(name)s, your appointment is booked.") % {"name": first},
        "moved": _("Hi %(name)s, your appointment has moved to a new time.") % {"name": first},
        "cancelled": _("Hi %(name)s, your appointment on %(when)s is cancelled.")
        % {"name": first, "when": when},
        "reminder": _("Hi %(name)s, a reminder of your appointment.") % {"name": first},
    }
    body = [lines[event], ""]
    if event != "cancelled":
        body += [
            _("When: %(when)s") % {"when": when},
            _("What: %(what)s") % {"what": what},
            _("Where: %(where)s") % {"where": place_text(appointment)},
            "",
        ]
    if appointment.status == AppointmentStatus.LATE_CANCELLED and (
        appointment.late_cancellation_fee_due
    ):
        body += [
            _(
                "This cancellation was inside the cancellation notice period, so the "
                "practice's late-cancellation fee applies."
            ),
            "",
        ]
    if event in ("booked", "reminder") and practice.cancellation_policy:
        body += [
            _("Need to change it? Please give %(hours)s hours' notice.")
            % {"hours": practice.cancellation_notice_hours},
            practice.cancellation_policy,
            "",
        ]
    for lines_for in message_extras():
        body += lines_for(appointment, event)
    contact = " or ".join(str(part) for part in (practice.phone, practice.email) if part)
    body += [f"{practice.public_name}" + (f" — {contact}" if contact else "")]
    return "\n".join(body)


def message_extras() -> list[Callable[[Appointment, str], list[str]]]:
    """Paragraphs other apps add to appointment messages (settings.FASCIA_MESSAGE_EXTRAS),
    e.g. the clinical record's invitation to fill in a health history before the first visit.
    Scheduling knows nothing of what they say."""
    return [import_string(path) for path in getattr(settings, "FASCIA_MESSAGE_EXTRAS", [])]


def sms_text(appointment: Appointment, event: str) -> str:
    practice = appointment.practice
    verb = {
        "booked": _("Booked"),
        "moved": _("Moved"),
        "cancelled": _("Cancelled"),
        "reminder": _("Reminder"),
    }[event]
    return (
        _("%(practice)s: %(verb)s — %(service)s %(when)s. Reply or call %(phone)s to change.")
        % {
            "practice": practice.public_name,
            "verb": verb,
            "service": appointment.service.name,
            "when": when_text(appointment),
            "phone": practice.phone,
        }
    )[:300]


def queue_appointment_message(appointment: Appointment, event: str) -> None:
    """Queue the client's email (with the .ics) and, where they agreed to texts, an SMS."""
    appointment = Appointment.objects.select_related(
        "practice", "client", "therapist", "service", "location"
    ).get(pk=appointment.pk)
    client = appointment.client
    dedupe = f"{event}:{appointment.pk}:{appointment.starts_at.isoformat()}"
    if event in ("moved", "cancelled"):
        dedupe += f":{appointment.updated_at.isoformat()}"
    wants_reminders = event != "reminder" or client.consents_to_email_reminders
    ics, method = client_invitation(appointment)
    with translation.override(client.preferred_language or settings.LANGUAGE_CODE):
        tell_client(
            client,
            subject=str(SUBJECTS[event]),
            email_body=appointment_text(appointment, event),
            sms_body=sms_text(appointment, event),
            dedupe=dedupe,
            by_email=wants_reminders,
            calendar_file=ics,
            calendar_method=method,
        )


def tell_client(
    client: Client,
    *,
    subject: str,
    email_body: str,
    sms_body: str,
    dedupe: str,
    by_email: bool = True,
    calendar_file: str = "",
    calendar_method: str = "",
) -> None:
    """Queue a message to the client: by email when they have one (and `by_email`), and by
    text where they agreed to texts. `dedupe` names the message, so it is queued once."""
    if client.email and by_email:
        enqueue(
            client.practice,
            Message(
                channel=Channel.EMAIL,
                to=client.email,
                subject=subject,
                body=email_body,
                calendar_file=calendar_file,
                calendar_method=calendar_method,
                dedupe_key=f"email:{dedupe}",
            ),
        )
    if client.phone and client.consents_to_sms_reminders and client.practice.sends_text_messages:
        enqueue(
            client.practice,
            Message(
                channel=Channel.SMS,
                to=client.phone.as_e164,
                body=sms_body,
                dedupe_key=f"sms:{dedupe}",
            ),
        )


def queue_due_reminders(now: datetime | None = None) -> int:
    """Queue reminders for visits starting within each practice's lead time. Each is claimed
    by a compare-and-swap on `reminder_queued_for`, so two workers queue it once; a moved visit
    gets a reminder for its new time."""
    now = now or timezone.now()
    queued = 0
    for practice in Practice.objects.all():
        lead = timedelta(hours=practice.reminder_lead_hours)
        due = Appointment.objects.filter(
            practice=practice,
            status=AppointmentStatus.BOOKED,
            starts_at__gt=now,
            starts_at__lte=now + lead,
            # Booked inside the lead time: the confirmation was the reminder.
            created_at__lte=F("starts_at") - lead,
        ).filter(Q(reminder_queued_for__isnull=True) | ~Q(reminder_queued_for=F("starts_at")))
        for appointment in due.only("pk", "starts_at"):
            with transaction.atomic():
                claimed = Appointment.objects.filter(
                    Q(reminder_queued_for__isnull=True) | ~Q(reminder_queued_for=F("starts_at")),
                    pk=appointment.pk,
                ).update(reminder_queued_for=F("starts_at"))
                if claimed == 1:
                    queue_appointment_message(appointment, "reminder")
                    queued += 1
    return queued
