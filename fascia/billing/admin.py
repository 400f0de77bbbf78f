"""Owners keep clients' insurance policies and third-party claims here. Invoices, payments and
receipts change only through the billing actions (the billing screen and the API)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from fascia.billing.claims import CLAIM_FIELDS, claim_problems, save_third_party_claim
from fascia.billing.models import InsurancePolicy, ThirdPartyClaim
from fascia.billing.policies import POLICY_FIELDS, policy_problems, save_insurance_policy
from fascia.practices.admin import PracticeScopedAdmin


@admin.register(InsurancePolicy)
class InsurancePolicyAdmin(PracticeScopedAdmin):
    list_display = [
        "client",
        "insurer",
        "member_id",
        "annual_maximum",
        "referral_required",
        "is_active",
    ]
    list_filter = ["insurer", "is_active", "referral_required"]
    search_fields = ["insurer", "member_id", "client__legal_last_name"]
    autocomplete_fields = ["client"]

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm[Any]]:
        """The admin's form, with the billing rules' own checks (money, the plan's share)."""
        form = super().get_form(request, obj, change, **kwargs)

        class PolicyForm(form):  # type: ignore[valid-type, misc]
            def clean(self) -> dict[str, Any]:
                cleaned = super().clean()
                for problem in policy_problems(cleaned):
                    self.add_error(None, problem)
                return cleaned

        return PolicyForm

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        fields = {
            name: form.cleaned_data[name] for name in POLICY_FIELDS if name in form.cleaned_data
        }
        saved = save_insurance_policy(
            form.cleaned_data["client"],
            policy=InsurancePolicy.objects.get(pk=obj.pk) if change else None,
            by=request.user,
            request=request,
            **fields,
        )
        obj.pk = saved.pk


@admin.register(ThirdPartyClaim)
class ThirdPartyClaimAdmin(PracticeScopedAdmin):
    list_display = ["client", "kind", "payer", "claim_number", "approved_visits", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["claim_number", "payer", "client__legal_last_name"]
    autocomplete_fields = ["client"]

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm[Any]]:
        """The admin's form, with the claim rules' own checks (money, dates, duplicates)."""
        form = super().get_form(request, obj, change, **kwargs)
        practice = getattr(request, "practice", None)

        class ClaimForm(form):  # type: ignore[valid-type, misc]
            def clean(self) -> dict[str, Any]:
                cleaned = super().clean()
                for problem in claim_problems(practice, cleaned, claim=obj):
                    self.add_error(None, problem)
                return cleaned

        return ClaimForm

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        fields = {
            name: form.cleaned_data[name] for name in CLAIM_FIELDS if name in form.cleaned_data
        }
        saved = save_third_party_claim(
            form.cleaned_data["client"],
            claim=ThirdPartyClaim.objects.get(pk=obj.pk) if change else None,
            by=request.user,
            request=request,
            **fields,
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        """Invoices were billed to it: a claim that ended is marked inactive, not removed."""
        return False
