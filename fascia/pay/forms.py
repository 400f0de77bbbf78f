from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fascia.pay.models import IncomeCategory, PayBasis
from fascia.pay.report import ACCRUAL, CASH
from fascia.practices.models import Practice, Service, Therapist


class CompensationRuleForm(forms.Form):
    therapist = forms.ModelChoiceField(
        label=_("Therapist"), queryset=Therapist.objects.none(), empty_label=_("Choose…")
    )
    basis = forms.ChoiceField(
        label=_("Paid as"),
        choices=PayBasis.choices,
        widget=forms.RadioSelect,
        initial=PayBasis.SPLIT,
    )
    category = forms.ChoiceField(
        label=_("On"), choices=IncomeCategory.choices, initial=IncomeCategory.TREATMENTS
    )
    percent = forms.DecimalField(
        label=_("Therapist's share (%)"), required=False, max_digits=5, decimal_places=2
    )
    amount = forms.DecimalField(label=_("Fee ($)"), required=False, max_digits=10, decimal_places=2)
    service = forms.ModelChoiceField(
        label=_("Only for the service"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("Every service"),
    )
    own_clients = forms.BooleanField(
        label=_("Only for clients the therapist brought to the practice"), required=False
    )
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("Until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, practice: Practice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["therapist"].queryset = Therapist.objects.for_practice(practice)  # type: ignore[attr-defined]
        self.fields["service"].queryset = Service.objects.for_practice(practice)  # type: ignore[attr-defined]


class PayReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    basis = forms.ChoiceField(
        label=_("Basis"),
        choices=[(ACCRUAL, _("Accrual (invoiced)")), (CASH, _("Cash (received)"))],
        initial=ACCRUAL,
    )
