"""What the practice's public site reads: its website words, the therapists, locations and
services it shows, and the conditions-guide pages it keeps. One place decides what is public,
so the pages and the sitemap always agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet

from fascia.practice_words import language_of, written_in
from fascia.practices.models import (
    Location,
    OpeningHours,
    Practice,
    Service,
    ServiceDuration,
    Therapist,
)
from fascia.professional.standing import in_good_standing
from fascia.website.conditions import CONDITIONS, REVIEW_EVERY_DAYS, Condition
from fascia.website.models import ConditionNote, PracticeWebsite


def website_of(practice: Practice) -> PracticeWebsite:
    """The practice's website words (an empty, unsaved one before the owner writes any)."""
    return PracticeWebsite.objects.for_practice(practice).first() or PracticeWebsite(
        practice=practice
    )


def public_services(practice: Practice) -> QuerySet[Service]:
    """Services shown on the site: active ones, each with its lengths and prices."""
    return (
        Service.objects.for_practice(practice)
        .filter(is_active=True)
        .exclude(bookable_online=False, modality="consultation")
        .prefetch_related(
            Prefetch("durations", queryset=ServiceDuration.objects.order_by("minutes"))
        )
    )


def public_therapists(practice: Practice, today: date) -> list[Therapist]:
    """Therapists shown on the site: active, practising, in good standing."""
    therapists = Therapist.objects.for_practice(practice).filter(is_active=True)
    return [therapist for therapist in in_good_standing(therapists, today) if therapist.may_treat]


def public_locations(practice: Practice) -> QuerySet[Location]:
    return (
        Location.objects.for_practice(practice)
        .filter(is_active=True)
        .prefetch_related(
            Prefetch(
                "opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens_at")
            ),
            "service_areas",
        )
    )


@dataclass(frozen=True)
class GuidePage:
    condition: Condition
    note: str
    note_language: str = "en"  # the language the note reads in (the reader's, or the other)

    @property
    def next_review(self) -> date:
        return self.condition.reviewed_on + timedelta(days=REVIEW_EVERY_DAYS)


def guide_pages(practice: Practice) -> list[GuidePage]:
    """The conditions-guide pages the practice shows, with its own notes."""
    choices = {choice.condition: choice for choice in ConditionNote.objects.for_practice(practice)}
    return [
        GuidePage(
            condition,
            choices[condition.slug].note if condition.slug in choices else "",
            language_of(choices.get(condition.slug), "note"),
        )
        for condition in CONDITIONS
        if not (condition.slug in choices and choices[condition.slug].hidden)
    ]


def guide_page(practice: Practice, slug: str) -> GuidePage | None:
    return next((page for page in guide_pages(practice) if page.condition.slug == slug), None)


def condition_choices(practice: Practice) -> list[dict[str, Any]]:
    """Every page of the guide with the practice's choice, for the owner's page."""
    choices = {choice.condition: choice for choice in ConditionNote.objects.for_practice(practice)}
    return [
        {
            "condition": condition,
            "hidden": choices[condition.slug].hidden if condition.slug in choices else False,
            "note": written_in(choices.get(condition.slug), "note", "en"),
            "note_fr": written_in(choices.get(condition.slug), "note", "fr"),
        }
        for condition in CONDITIONS
    ]
