"""Forms of the team pages: inviting someone, and a therapist's profile on joining."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fascia.accounts.invitations import TherapistProfile
from fascia.accounts.models import Role
from fascia.practices.modalities import Modality
from fascia.practices.models import Therapist
from fascia.storage import check_picture


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.THERAPIST)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class NewAccountForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not a common password."),
    )


class TherapistProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Name shown to clients"), max_length=120, help_text=_("e.g. Maya Chen")
    )
    pronouns = forms.CharField(label=_("Pronouns"), max_length=40, required=False)
    registration_number = forms.CharField(label=_("CMTO registration number"), max_length=20)
    registration_status = forms.ChoiceField(
        label=_("Registration status"),
        choices=Therapist.RegistrationStatus.choices,
        initial=Therapist.RegistrationStatus.GENERAL,
    )
    bio = forms.CharField(
        label=_("About you"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few sentences for your page on the practice's site."),
    )
    languages = forms.CharField(
        label=_("Languages you treat in"),
        required=False,
        help_text=_("Separated by commas, e.g. English, French"),
    )
    photo = forms.ImageField(
        label=_("Photo"),
        required=False,
        help_text=_("Shown to clients on your page. PNG, JPEG or WebP, at most 2 MB."),
    )
    modalities = forms.MultipleChoiceField(
        label=_("Techniques you offer"),
        choices=Modality.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo:
            check_picture(photo)
        return photo

    def profile(self) -> TherapistProfile:
        data: dict[str, Any] = self.cleaned_data
        languages = [part.strip() for part in data["languages"].split(",") if part.strip()]
        return TherapistProfile(
            display_name=data["display_name"],
            registration_number=data["registration_number"],
            registration_status=data["registration_status"],
            pronouns=data["pronouns"],
            bio=data["bio"],
            languages=languages,
            modalities=list(data["modalities"]),
            photo=data.get("photo"),
        )
