"""Invoices with their lines, payments and refunds, and receipts. An issued receipt never
changes (the database refuses it); a correction is a new receipt and a `ReceiptCancellation`
of the old one, both kept."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fascia.practices.tenancy import PracticeOwned
from fascia.storage import private_storage


class LineKind(models.TextChoices):
    TREATMENT = "treatment", _("Treatment")
    TRAVEL = "travel", _("Travel fee")
    PRODUCT = "product", _("Product")
    GIFT_CARD = "gift_card", _("Gift card")
    LATE_CANCELLATION = "late_cancel", _("Late-cancellation fee")
    NO_SHOW = "no_show", _("Missed-appointment fee")
    OTHER = "other", _("Other")


class Invoice(PracticeOwned):
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(
        "scheduling.Appointment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    number = models.PositiveIntegerField()
    issued_at = models.DateTimeField()
    tax_name = models.CharField(max_length=5, blank=True)
    tax_number = models.CharField(max_length=20, blank=True)
    claim = models.ForeignKey(
        "ThirdPartyClaim", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "number"], name="invoice_number_unique"),
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(voided_at=None) & Q(appointment__isnull=False),
                name="one_open_invoice_per_appointment",
            ),
        ]

    def __str__(self) -> str:
        return f"Invoice {self.number}"


class InvoiceLine(PracticeOwned):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    kind = models.CharField(max_length=12, choices=LineKind.choices)
    description = models.CharField(max_length=200)
    in_scope = models.BooleanField(
        help_text=_("Massage therapy within the RMT scope of practice (receipted as such).")
    )
    quantity = models.PositiveSmallIntegerField(default=1)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    discount = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    tax_rate = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0"))
    tax = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_price__gte=0) & Q(discount__gte=0) & Q(tax__gte=0),
                name="invoice_line_amounts_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def net(self) -> Decimal:
        return self.unit_price * self.quantity - self.discount

    @property
    def total(self) -> Decimal:
        return self.net + self.tax


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    DEBIT = "debit", _("Debit")
    CREDIT = "credit", _("Credit card")
    E_TRANSFER = "e_transfer", _("e-Transfer")
    GIFT_CARD = "gift_card", _("Gift card")
    INSURER_DIRECT = "insurer", _("Insurer direct payment")


class Payer(models.TextChoices):
    CLIENT = "client", _("Client")
    INSURER = "insurer", _("Insurer")
    THIRD_PARTY = "third_party", _("Third party (auto insurer, WSIB)")


class Payment(PracticeOwned):
    """Money received (or, with `is_refund`, given back) against an invoice."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    method = models.CharField(max_length=10, choices=PaymentMethod.choices)
    payer = models.CharField(max_length=12, choices=Payer.choices, default=Payer.CLIENT)
    payer_name = models.CharField(max_length=120, blank=True)
    reference = models.CharField(max_length=120, blank=True)
    policy = models.ForeignKey(
        "InsurancePolicy", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_refund = models.BooleanField(default=False)
    received_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{_('Refund') if self.is_refund else _('Payment')} ${self.amount}"

    @property
    def signed_amount(self) -> Decimal:
        return -self.amount if self.is_refund else self.amount


class ReceiptKind(models.TextChoices):
    ORIGINAL = "original", _("Original")
    DUPLICATE = "duplicate", _("Duplicate")
    CORRECTION = "correction", _("Correction")


class Receipt(PracticeOwned):
    """An issued receipt: its content is frozen at issue (`content`), numbered in sequence per
    practice, and never changed."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="receipts")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=ReceiptKind.choices)
    of_receipt = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    content = models.JSONField()
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            # Duplicates carry their original's number.
            models.UniqueConstraint(
                fields=["practice", "number"],
                condition=~Q(kind="duplicate"),
                name="receipt_number_unique",
            )
        ]

    def __str__(self) -> str:
        return f"Receipt {self.number}"


class ReceiptCancellation(PracticeOwned):
    """A receipt withdrawn by a correction; the cancelled receipt stays as it was."""

    receipt = models.OneToOneField(Receipt, on_delete=models.PROTECT, related_name="cancellation")
    replaced_by = models.ForeignKey(
        Receipt, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField()
    cancelled_at = models.DateTimeField()
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Cancellation of {self.receipt}"


class CreditNote(PracticeOwned):
    """The document that cancels an invoice (issued wrongly, or to be redone): numbered in the
    practice's own sequence, for the invoice's whole amount, with the reason; final once
    issued. The visit can then be invoiced again."""

    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="credit_note")
    number = models.PositiveIntegerField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    reason = models.TextField()
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "number"], name="credit_note_number_unique")
        ]

    def __str__(self) -> str:
        return f"Credit note {self.number}"


class Relationship(models.TextChoices):
    SELF = "self", _("Self (the plan member)")
    SPOUSE = "spouse", _("Spouse or partner")
    CHILD = "child", _("Dependent child")
    OTHER = "other", _("Other dependent")


class InsurancePolicy(PracticeOwned):
    """A client's extended-health coverage for massage therapy, with what direct billing will
    need later (plan, member and relationship ids)."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    insurer = models.CharField(verbose_name=_("insurer"), max_length=120)
    plan_number = models.CharField(_("plan / group number"), max_length=60, blank=True)
    member_id = models.CharField(_("member / certificate id"), max_length=60)
    subscriber_name = models.CharField(
        verbose_name=_("subscriber name"), max_length=150, help_text=_("The plan member.")
    )
    relationship = models.CharField(
        verbose_name=_("relationship"), max_length=8, choices=Relationship.choices
    )
    year_starts = models.DateField(
        _("coverage year starts"),
        help_text=_("A date the coverage year starts on (its day and month repeat each year)."),
    )
    annual_maximum = models.DecimalField(
        verbose_name=_("annual maximum"), max_digits=10, decimal_places=2
    )
    per_visit_maximum = models.DecimalField(
        verbose_name=_("per visit maximum"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    percent_covered = models.DecimalField(
        verbose_name=_("percent covered"), max_digits=5, decimal_places=2, default=Decimal("100")
    )
    referral_required = models.BooleanField(_("physician's referral required"), default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["insurer"]
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_maximum__gte=0)
                & Q(percent_covered__gte=0)
                & Q(percent_covered__lte=100),
                name="policy_amounts_sensible",
            )
        ]

    def __str__(self) -> str:
        return f"{self.insurer} ({self.member_id})"


class ReferralNote(PracticeOwned):
    """A physician's referral for massage therapy, which some plans require."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    document = models.FileField(storage=private_storage, upload_to="referrals/%Y/")
    physician = models.CharField(max_length=150)
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True, help_text=_("Empty: does not expire."))
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on"]

    def __str__(self) -> str:
        return f"Referral from {self.physician} ({self.issued_on})"

    def valid_on(self, day: Any) -> bool:
        return self.issued_on <= day and (self.expires_on is None or day <= self.expires_on)


class ClaimKind(models.TextChoices):
    MOTOR_VEHICLE = "auto", _("Motor-vehicle accident (auto insurer)")
    WORKPLACE = "wsib", _("Workplace injury (WSIB)")


class ThirdPartyClaim(PracticeOwned):
    """An approved motor-vehicle or WSIB claim: who pays, what was approved, what is left."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=4, choices=ClaimKind.choices)
    payer = models.CharField(max_length=120, help_text=_("The auto insurer, or WSIB."))
    claim_number = models.CharField(max_length=60)
    adjuster = models.CharField(max_length=150, blank=True, help_text=_("Name, phone, email."))
    plan_submitted_by = models.CharField(
        max_length=150,
        blank=True,
        help_text=_(
            "Auto claims: the physiotherapist, chiropractor or physician who submitted "
            "the treatment plan (not the RMT)."
        ),
    )
    approved_visits = models.PositiveSmallIntegerField()
    approved_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "kind", "claim_number"], name="claim_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} claim {self.claim_number}"
