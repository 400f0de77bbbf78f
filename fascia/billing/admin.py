"""Owners keep clients' insurance policies and third-party claims here. Invoices, payments and
receipts change only through the billing actions (the billing screen and the API)."""

from django.contrib import admin

from fascia.billing.models import InsurancePolicy, ThirdPartyClaim
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


@admin.register(ThirdPartyClaim)
class ThirdPartyClaimAdmin(PracticeScopedAdmin):
    list_display = ["client", "kind", "payer", "claim_number", "approved_visits", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["claim_number", "payer", "client__legal_last_name"]
    autocomplete_fields = ["client"]
