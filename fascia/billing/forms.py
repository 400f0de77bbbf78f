"""Forms of the billing screen: they read what the front desk typed; the billing actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fascia.billing.models import InsurancePolicy, LineKind, PaymentMethod
from fascia.billing.policies import POLICY_FIELDS, policy_problems

DATE = forms.DateInput(attrs={"type": "date"})


class InsurancePolicyForm(forms.ModelForm):
    class Meta:
        model = InsurancePolicy
        fields = [name for name in POLICY_FIELDS if name != "is_active"]
        widgets = {"year_starts": DATE}
        labels = {"percent_covered": _("Share covered (%)")}

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

    kind = forms.ChoiceField(label=_("Kind"), choices=SALE_KINDS)
    description = forms.CharField(label=_("Description"), max_length=200)
    unit_price = forms.DecimalField(label=_("Price"), min_value=0, decimal_places=2)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100, initial=1)
    taxable = forms.BooleanField(required=False, initial=True, label=_("Charge tax"))


CHECKOUT_PAYMENT_ROWS = 3
CLIENT_METHODS = [
    (value, label)
    for value, label in PaymentMethod.choices
    if value != PaymentMethod.INSURER_DIRECT
]


class CheckoutForm(forms.Form):
    """The checkout's discount and up to three payments (a split: part card, part cash, or an
    insurer's direct share and the client's rest). A payment's method is a client method or
    `policy-<id>`: that plan pays directly. Blank rows are skipped."""

    discount = forms.DecimalField(
        label=_("Discount ($)"),
        required=False,
        min_value=0,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8, "class": "short"}),
    )

    def __init__(self, *args: Any, policies: list[InsurancePolicy], invoiced: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.policies = {f"policy-{policy.pk}": policy for policy in policies}
        methods: list[tuple[str, Any]] = [("", _("Choose…")), *CLIENT_METHODS]
        methods += [
            (key, _("%(insurer)s pays directly") % {"insurer": policy.insurer})
            for key, policy in self.policies.items()
        ]
        if invoiced:
            del self.fields["discount"]
        for row in range(1, CHECKOUT_PAYMENT_ROWS + 1):
            self.fields[f"amount_{row}"] = forms.DecimalField(
                label=_("Amount"),
                required=False,
                min_value=0,
                decimal_places=2,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
            )
            self.fields[f"method_{row}"] = forms.ChoiceField(
                label=_("Paid by"), required=False, choices=methods
            )
            self.fields[f"reference_{row}"] = forms.CharField(
                label=_("Reference (optional)"),
                required=False,
                max_length=100,
            )

    def payment_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"amount_{row}"], self[f"method_{row}"], self[f"reference_{row}"])
            for row in range(1, CHECKOUT_PAYMENT_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        payments = []
        for row in range(1, CHECKOUT_PAYMENT_ROWS + 1):
            paid, method = cleaned.get(f"amount_{row}"), cleaned.get(f"method_{row}")
            if not paid and not method:
                continue
            if not paid:
                self.add_error(f"amount_{row}", _("Enter the amount paid this way."))
                continue
            if not method:
                self.add_error(f"method_{row}", _("Say how this amount was paid."))
                continue
            policy = self.policies.get(method)
            payments.append(
                (
                    paid,
                    PaymentMethod.INSURER_DIRECT if policy else method,
                    policy,
                    cleaned.get(f"reference_{row}", ""),
                )
            )
        if not payments and not self.errors:
            raise forms.ValidationError(_("Enter the payment the client is making."))
        cleaned["payments"] = payments
        return cleaned
