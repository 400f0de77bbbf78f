"""The conditions guide as the platform ships it: every condition the issue names, techniques
from the guide's list, each page dated, and precautions that agree with the intake screening."""

from __future__ import annotations

from datetime import date

import pytest

from fascia.records.screening import RULES, AlertKind, client_red_flags, screen
from fascia.website.conditions import CONDITIONS, GUIDE_TECHNIQUES, Condition

NAMED = {
    "low-back-pain",
    "neck-and-shoulder-tension",
    "headache-and-migraine",
    "sciatica",
    "carpal-tunnel-syndrome",
    "fibromyalgia",
    "frozen-shoulder-and-impingement",
    "osteoarthritis",
    "sports-and-overuse-injuries",
    "muscle-strains",
    "desk-posture-pain",
    "stress-and-sleep",
    "pregnancy",
    "cancer-care",
    "jaw-pain",
    "whiplash",
    "plantar-fasciitis",
    "multiple-sclerosis",
}
RULE_KINDS = {rule.id: rule.kind for rule in RULES}


def test_the_guide_has_a_page_for_every_named_condition() -> None:
    slugs = [condition.slug for condition in CONDITIONS]
    assert len(slugs) == len(set(slugs))
    assert set(slugs) >= NAMED


@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: c.slug)
def test_each_page_is_complete_and_dated(condition: Condition) -> None:
    page = condition
    assert str(page.name).strip()
    for text in (page.summary, page.what_it_is, page.cannot_promise):
        assert len(str(text).strip()) > 20
    assert len(str(page.summary)) <= 160
    assert len(page.may_help) >= 2
    assert page.techniques and set(page.techniques) <= set(GUIDE_TECHNIQUES)
    assert page.suited
    assert page.reviewed_on <= date.today()


@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: c.slug)
def test_precautions_agree_with_the_intake_screening(condition: Condition) -> None:
    """A precaution tied to a screening rule says "see a physician first" exactly when that rule
    defers treatment; every rule named exists."""
    for precaution in condition.precautions:
        if not precaution.screening_rule:
            continue
        assert precaution.screening_rule in RULE_KINDS, precaution.screening_rule
        defers = RULE_KINDS[precaution.screening_rule] == AlertKind.DEFER
        if defers:
            assert precaution.physician_first, (condition.slug, precaution.screening_rule)
        else:
            assert not precaution.physician_first or precaution.screening_rule == "", (
                condition.slug,
                precaution.screening_rule,
            )


def test_the_red_flags_every_page_lists_are_the_screenings_deferrals() -> None:
    """Each symptom the guide sends to a physician defers treatment in the screening, and
    every symptom that on its own defers treatment is on the list."""
    flagged = {code for code, _label in client_red_flags()}
    for code in flagged - {"numbness_weakness"}:
        kinds = {alert.kind for alert in screen({"symptoms_today": [code]}, date(2030, 1, 1))}
        assert AlertKind.DEFER in kinds, code
    from fascia.records.intake import SYMPTOMS_TODAY

    for code, _label in SYMPTOMS_TODAY:
        alerts = screen({"symptoms_today": [code]}, date(2030, 1, 1))
        if any(alert.kind == AlertKind.DEFER for alert in alerts):
            assert code in flagged, code
