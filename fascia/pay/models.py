"""How each therapist is paid: compensation rules, each for a kind of income (and optionally
one service, or only the clients the therapist brought to the practice), in force from a date
until an end date. Most Ontario clinics pay their RMTs as contractors by a split of what they
bill; some pay a fixed fee per visit or per hour."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fascia.billing.money import as_money
from fascia.practices.tenancy import PracticeOwned


class PayBasis(models.TextChoices):
    SPLIT = "split", _("A share of what they billed")
    PER_VISIT = "per_visit", _("A fixed fee per visit")
    PER_HOUR = "per_hour", _("A fixed fee per hour of treatment")


class IncomeCategory(models.TextChoices):
    TREATMENTS = "treatments", _("Treatments")
    TRAVEL = "travel", _("Travel fees")
    MISSED = "missed", _("Late-cancellation and no-show fees")
    PRODUCTS = "products", _("Products sold at a visit")


class CompensationRule(PracticeOwned):
    therapist = models.ForeignKey(
        "practices.Therapist", on_delete=models.PROTECT, related_name="compensation_rules"
    )
    basis = models.CharField(max_length=10, choices=PayBasis.choices)
    category = models.CharField(
        max_length=12, choices=IncomeCategory.choices, default=IncomeCategory.TREATMENTS
    )
    service = models.ForeignKey(
        "practices.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Only this service (empty: every service)."),
    )
    own_clients = models.BooleanField(
        default=False, help_text=_("Only for clients the therapist brought to the practice.")
    )
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The therapist's share of the amount billed before tax."),
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text=_("The last day it applies."))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["therapist", "category", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(basis="split", percent__gte=0, percent__lte=100, amount=None)
                    | (~Q(basis="split") & Q(amount__gt=0, percent=None, category="treatments"))
                ),
                name="compensation_rule_rate",
            ),
            models.CheckConstraint(
                condition=Q(ends_on=None) | Q(ends_on__gte=models.F("starts_on")),
                name="compensation_rule_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.therapist}: {self.describe()}"

    def describe(self) -> str:
        """The rule as the owner would say it: "60% of treatments (own clients)"."""
        if self.basis == PayBasis.SPLIT:
            text = _("%(percent)s%% of %(category)s") % {
                "percent": f"{self.percent or 0:f}".rstrip("0").rstrip("."),
                "category": self.get_category_display().lower(),
            }
        elif self.basis == PayBasis.PER_VISIT:
            text = _("%(amount)s per visit") % {"amount": as_money(self.amount)}
        else:
            text = _("%(amount)s per hour") % {"amount": as_money(self.amount)}
        if self.service is not None:
            text += " · " + str(self.service.name)
        if self.own_clients:
            text += " · " + str(_("own clients"))
        return text
