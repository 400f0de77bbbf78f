from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fascia.clients.models import Client
from fascia.practices.models import Practice, Therapist

# The client form's sections, in the order a front desk asks.
CLIENT_SECTIONS: list[tuple[StrOrPromise, list[str]]] = [
    (
        _("Who"),
        [
            "legal_first_name",
            "legal_last_name",
            "preferred_name",
            "pronouns",
            "date_of_birth",
            "preferred_language",
            "brought_by",
            "keeps_their_therapist",
            "prefers_therapist_gender",
        ],
    ),
    (_("How to reach them"), ["email", "phone", "other_phone"]),
    (
        _("Home address (for in-home visits)"),
        ["street", "unit", "city", "province", "postal_code", "home_access_notes"],
    ),
    (
        _("Emergency contact"),
        ["emergency_contact_name", "emergency_contact_relationship", "emergency_contact_phone"],
    ),
    (
        _("Communication consents"),
        ["consents_to_email_reminders", "consents_to_sms_reminders", "consents_to_marketing_email"],
    ),
]
CLIENT_FIELDS = [name for _title, names in CLIENT_SECTIONS for name in names]


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "home_access_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, practice: Practice | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        therapists = self.fields["brought_by"]
        therapists.queryset = (  # type: ignore[attr-defined]
            Therapist.objects.for_practice(practice) if practice else Therapist.objects.none()
        )
        therapists.empty_label = _("Nobody in particular")  # type: ignore[attr-defined]

    def sections(self) -> list[tuple[StrOrPromise, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in CLIENT_SECTIONS]


class ClientMessageForm(forms.Form):
    """A message from the practice, written on the client's page."""

    channel = forms.ChoiceField(
        label=_("Send by"),
        choices=[("email", _("Email")), ("sms", _("Text message"))],
        widget=forms.RadioSelect,
        initial="email",
    )
    subject = forms.CharField(label=_("Subject (email only)"), max_length=150, required=False)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))


REMINDER_CHOICES = (
    ("email", _("By email")),
    ("sms", _("By text message")),
    ("both", _("By email and text message")),
    ("none", _("No reminders")),
)


class OwnDetailsForm(forms.ModelForm):
    """What a client keeps up to date themselves in their account: how to reach them, where
    home visits go, who to call in an emergency, how they want reminders and in which
    language. Their legal name and date of birth are corrected by the practice (a request
    the practice sees), not here."""

    reminders = forms.ChoiceField(
        label=_("Appointment reminders"), choices=REMINDER_CHOICES, widget=forms.RadioSelect
    )

    class Meta:
        model = Client
        fields = [
            "preferred_name",
            "pronouns",
            "phone",
            "other_phone",
            "street",
            "unit",
            "city",
            "province",
            "postal_code",
            "home_access_notes",
            "emergency_contact_name",
            "emergency_contact_relationship",
            "emergency_contact_phone",
            "preferred_language",
            "keeps_their_therapist",
            "prefers_therapist_gender",
        ]
        widgets = {"home_access_notes": forms.Textarea(attrs={"rows": 2})}
        labels = {
            "keeps_their_therapist": _("Keep my visits with my own therapist"),
            "prefers_therapist_gender": _("I prefer a therapist who is"),
        }
        help_texts = {
            "keeps_their_therapist": _(
                "We will never offer to move your visits to another therapist or time."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        client = self.instance
        by_email, by_text = client.consents_to_email_reminders, client.consents_to_sms_reminders
        self.fields["reminders"].initial = (
            "both"
            if by_email and by_text
            else "email"
            if by_email
            else "sms"
            if by_text
            else "none"
        )

    def changes(self) -> dict[str, Any]:
        """The fields to give `update_client`, the reminder choice as its two consents."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        reminders = self.cleaned_data["reminders"]
        data["consents_to_email_reminders"] = reminders in ("email", "both")
        data["consents_to_sms_reminders"] = reminders in ("sms", "both")
        return data
