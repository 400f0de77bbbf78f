"""Adding and ending compensation rules. Two rules for the same therapist, kind of income,
service and own-clients choice may not be in force on the same day; otherwise the most
specific rule for a line applies (own clients over everyone, one service over every
service), so the owner can say "60% of treatments, 70% of my own clients'"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.pay.models import CompensationRule, IncomeCategory, PayBasis
from fascia.practices.models import Service, Therapist


def _decimal(value: object, what: str) -> Decimal:
    try:
        parsed = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(what)s must be a number.") % {"what": what}) from None
    if not parsed.is_finite() or parsed.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(_("%(what)s can have at most two decimals.") % {"what": what})
    return parsed


def overlapping(rule: CompensationRule) -> CompensationRule | None:
    """Another rule with the same scope in force on any of this rule's days."""
    others = CompensationRule.objects.filter(
        therapist_id=rule.therapist_id,
        category=rule.category,
        service=rule.service,
        own_clients=rule.own_clients,
    ).exclude(pk=rule.pk)
    if rule.ends_on is not None:
        others = others.filter(starts_on__lte=rule.ends_on)
    return others.filter(Q(ends_on=None) | Q(ends_on__gte=rule.starts_on)).first()


def add_compensation_rule(
    therapist: Therapist,
    *,
    basis: str,
    starts_on: date,
    category: str = IncomeCategory.TREATMENTS,
    percent: object = None,
    amount: object = None,
    service: Service | None = None,
    own_clients: bool = False,
    ends_on: date | None = None,
    by: Any,
    request: HttpRequest | None = None,
) -> CompensationRule:
    """Raises ValidationError (nothing saved) for a bad rate, bad dates, another practice's
    service, or a rule that overlaps one already in force."""
    if basis not in PayBasis.values:
        raise ValidationError(_("Choose how the therapist is paid."))
    if category not in IncomeCategory.values:
        raise ValidationError(_("Choose the kind of income the rule is for."))
    rule = CompensationRule(
        practice=therapist.practice,
        therapist=therapist,
        basis=basis,
        category=category,
        service=service,
        own_clients=own_clients,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    if basis == PayBasis.SPLIT:
        if percent in (None, ""):
            raise ValidationError(_("Give the therapist's share as a percentage."))
        rule.percent = _decimal(percent, _("The share"))
        if not Decimal(0) <= rule.percent <= Decimal(100):
            raise ValidationError(_("The share must be between 0% and 100%."))
    else:
        if category != IncomeCategory.TREATMENTS:
            raise ValidationError(_("A fixed fee is paid per visit or hour of treatment."))
        if amount in (None, ""):
            raise ValidationError(_("Give the fee in dollars."))
        rule.amount = _decimal(amount, _("The fee"))
        if rule.amount <= 0:
            raise ValidationError(_("The fee must be more than $0.00."))
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("The rule cannot end before it starts."))
    if service is not None and service.practice_id != therapist.practice_id:
        raise ValidationError(_("That service is not this practice's."))
    with transaction.atomic():
        # One rule change per therapist at a time, so two owners cannot add overlapping rules.
        Therapist.objects.select_for_update().get(pk=therapist.pk)
        clash = overlapping(rule)
        if clash is not None:
            raise ValidationError(
                _(
                    "This overlaps “%(rule)s”, in force from %(start)s%(end)s: end that rule "
                    "first, or start this one after it."
                )
                % {
                    "rule": clash.describe(),
                    "start": clash.starts_on.isoformat(),
                    "end": _(" to %(end)s") % {"end": clash.ends_on.isoformat()}
                    if clash.ends_on
                    else "",
                }
            )
        rule.save()
        record_access(
            practice=therapist.practice,
            actor=by,
            action=AuditAction.CREATE,
            record=rule,
            request=request,
            detail=rule.describe()[:200],
        )
    return rule


def end_compensation_rule(
    rule: CompensationRule, *, last_day: date, by: Any, request: HttpRequest | None = None
) -> CompensationRule:
    """The rule applies up to and including `last_day` (a rule that had not started yet
    cannot end before its start: remove it by ending it on its first day)."""
    if last_day < rule.starts_on:
        raise ValidationError(_("A rule cannot end before it starts."))
    if rule.ends_on is not None and rule.ends_on < last_day:
        raise ValidationError(_("That rule has already ended."))
    with transaction.atomic():
        CompensationRule.objects.filter(pk=rule.pk).update(ends_on=last_day)
        rule.ends_on = last_day
        record_access(
            practice=rule.practice,
            actor=by,
            action=AuditAction.CHANGE,
            record=rule,
            request=request,
            detail=f"ended {last_day.isoformat()}",
        )
    return rule
