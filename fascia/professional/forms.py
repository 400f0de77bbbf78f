from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fascia.practice_words import InBothLanguages, in_both_languages
from fascia.practices.models import Therapist
from fascia.professional.models import (
    ContinuingEducation,
    Equipment,
    EquipmentService,
    FirstAidCertificate,
    LiabilityInsurance,
)
from fascia.storage import check_picture

DATE = forms.DateInput(attrs={"type": "date"})


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Therapist
        fields = [
            "registration_number",
            "registration_status",
            "registration_expires_on",
            "education_cycle_starts_on",
        ]
        widgets = {"registration_expires_on": DATE, "education_cycle_starts_on": DATE}


class InsuranceForm(forms.ModelForm):
    class Meta:
        model = LiabilityInsurance
        fields = ["insurer", "policy_number", "coverage", "starts_on", "expires_on"]
        widgets = {"starts_on": DATE, "expires_on": DATE}


class EducationForm(forms.ModelForm):
    certificate = forms.FileField(
        label=_("Certificate"),
        required=False,
        help_text=_("PDF, PNG or JPEG, at most 5 MB. Only you and the owner can open it."),
    )

    class Meta:
        model = ContinuingEducation
        fields = ["completed_on", "title", "provider", "category", "credits"]
        widgets = {"completed_on": DATE}


class FirstAidForm(forms.ModelForm):
    class Meta:
        model = FirstAidCertificate
        fields = ["kind", "provider", "expires_on"]
        widgets = {"expires_on": DATE}


class EquipmentForm(forms.ModelForm):
    class Meta:
        model = Equipment
        fields = ["location", "name", "kind", "serial_number", "service_every_days", "in_use_since"]
        widgets = {"in_use_since": DATE}


class EquipmentServiceForm(forms.ModelForm):
    class Meta:
        model = EquipmentService
        fields = ["kind", "done_on", "done_by", "notes"]
        widgets = {"done_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}


class PublicProfileForm(InBothLanguages):
    """What clients see of the therapist on the practice's site and in the directory."""

    languages = forms.CharField(
        label=_("Languages you treat in"),
        required=False,
        max_length=200,
        help_text=_("Separated by commas, e.g. English, French"),
    )
    photo = forms.ImageField(
        label=_("Photo"),
        required=False,
        help_text=_("Shown to clients on your page. PNG, JPEG or WebP, at most 2 MB."),
    )

    class Meta:
        model = Therapist
        fields = in_both_languages(
            Therapist,
            ["display_name", "pronouns", "gender", "bio", "photo", "accepting_new_clients"],
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["languages"] = ", ".join(self.instance.languages or [])

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):  # a new upload, not the stored file
            check_picture(photo)
        return photo

    def profile(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["languages"] = [part for part in data["languages"].split(",") if part.strip()]
        if not data.get("photo") or not hasattr(data["photo"], "content_type"):
            data.pop("photo", None)  # no new file: keep the photo there is
        return data
