from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fascia.practices.models import Therapist
from fascia.professional.models import (
    ContinuingEducation,
    Equipment,
    EquipmentService,
    FirstAidCertificate,
    LiabilityInsurance,
)

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
