"""Whether a therapist may be booked: their registration is current (a general certificate that
has not passed its renewal date) and their liability insurance has not lapsed. A record that
was never entered is not a lapse — the set-up checklist asks for it instead — but a date that
has passed is, and the therapist is then not offered for booking until it is renewed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from fascia.practices.models import Therapist
from fascia.professional.models import ContinuingEducation, LiabilityInsurance

EDUCATION_CYCLE_YEARS = 3


def in_good_standing(therapists: QuerySet[Therapist], on: date) -> QuerySet[Therapist]:
    """The therapists among `therapists` who may treat clients on `on` (one query)."""
    insured = LiabilityInsurance.objects.filter(
        therapist=OuterRef("pk"), starts_on__lte=on, expires_on__gte=on
    )
    ever_insured = LiabilityInsurance.objects.filter(therapist=OuterRef("pk"))
    return therapists.filter(
        Q(registration_status=Therapist.RegistrationStatus.GENERAL),
        Q(registration_expires_on=None) | Q(registration_expires_on__gte=on),
        Exists(insured) | ~Exists(ever_insured),
    )


def lapses(therapist: Therapist, on: date) -> list[str]:
    """Why the therapist cannot be booked on `on`, in the owner's words (empty if they can)."""
    reasons = []
    if therapist.registration_status != Therapist.RegistrationStatus.GENERAL:
        reasons.append(
            _("Registration status is “%(status)s”.")
            % {"status": therapist.get_registration_status_display()}
        )
    if therapist.registration_expires_on and therapist.registration_expires_on < on:
        reasons.append(
            _("CMTO registration lapsed on %(date)s.") % {"date": therapist.registration_expires_on}
        )
    policies = LiabilityInsurance.objects.filter(therapist=therapist)
    if policies.exists() and not policies.filter(starts_on__lte=on, expires_on__gte=on).exists():
        latest = policies.order_by("-expires_on").first()
        assert latest is not None
        reasons.append(_("Liability insurance lapsed on %(date)s.") % {"date": latest.expires_on})
    return reasons


@dataclass(frozen=True)
class EducationCycle:
    starts_on: date
    ends_on: date  # the last day of the cycle
    credits: Decimal
    by_category: dict[str, Decimal]


def education_cycle(therapist: Therapist, on: date) -> EducationCycle:
    """The continuing-education cycle `on` falls in (`EDUCATION_CYCLE_YEARS` from the
    therapist's cycle start, January 1 of this year if none is set) and its totals."""
    first = therapist.education_cycle_starts_on or date(on.year, 1, 1)
    starts = first
    while _years_after(starts, EDUCATION_CYCLE_YEARS) <= on:
        starts = _years_after(starts, EDUCATION_CYCLE_YEARS)
    ends = date.fromordinal(_years_after(starts, EDUCATION_CYCLE_YEARS).toordinal() - 1)
    in_cycle = ContinuingEducation.objects.filter(
        therapist=therapist, completed_on__gte=starts, completed_on__lte=ends
    )
    by_category = {
        row["category"]: row["total"]
        for row in in_cycle.values("category").annotate(total=Sum("credits")).order_by()
    }
    return EducationCycle(starts, ends, sum(by_category.values(), Decimal("0")), by_category)


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # February 29
        return day.replace(year=day.year + years, day=28)
