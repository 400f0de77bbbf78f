from django import forms

from fascia.clients.models import Client

CLIENT_FIELDS = [
    "legal_first_name",
    "legal_last_name",
    "preferred_name",
    "pronouns",
    "date_of_birth",
    "email",
    "phone",
    "other_phone",
    "preferred_language",
    "street",
    "unit",
    "city",
    "province",
    "postal_code",
    "emergency_contact_name",
    "emergency_contact_relationship",
    "emergency_contact_phone",
    "consents_to_email_reminders",
    "consents_to_sms_reminders",
    "consents_to_marketing_email",
]


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}
