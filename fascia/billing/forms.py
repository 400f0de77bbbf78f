"""Forms of the billing screen: they read what the front desk typed; the billing actions decide."""

from __future__ import annotations

from typing import Any

from django import forms

from fascia.billing.models import InsurancePolicy, LineKind
from fascia.billing.policies import POLICY_FIELDS, policy_problems

DATE = forms.DateInput(attrs={"type": "date"})


class InsurancePolicyForm(forms.ModelForm):
    class Meta:
        model = InsurancePolicy
        fields = [name for name in POLICY_FIELDS if name != "is_active"]
        widgets = {"year_starts": DATE}
        labels = {"percent_covered": "Share covered (%)"}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for problem in policy_problems(cleaned):
            self.add_error(None, problem)
        return cleaned


SALE_KINDS = [
    (LineKind.PRODUCT, "Product"),
    (LineKind.GIFT_CARD, "Gift card"),
    (LineKind.OTHER, "Package or other"),
]


class SaleForm(forms.Form):
    """Something sold on its own (not a treatment): never receipted as massage therapy."""

    kind = forms.ChoiceField(choices=SALE_KINDS)
    description = forms.CharField(max_length=200)
    unit_price = forms.DecimalField(label="Price", min_value=0, decimal_places=2)
    quantity = forms.IntegerField(min_value=1, max_value=100, initial=1)
    taxable = forms.BooleanField(required=False, initial=True, label="Charge tax")
