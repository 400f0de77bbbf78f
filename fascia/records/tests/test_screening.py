"""Each screening rule, with the answers that raise it and a near miss that does not."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from fascia.records.intake import BY_ID
from fascia.records.screening import RULES, RULES_BY_ID, AlertKind, screen

TODAY = date(2031, 3, 3)

# rule id -> (answers that raise it, a near miss that must not)
CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "fever": ({"symptoms_today": ["fever"]}, {"conditions": ["headaches"]}),
    "acute_infection": ({"symptoms_today": ["acute_infection"]}, {}),
    "suspected_dvt": (
        {"symptoms_today": ["calf_pain_swelling"]},
        {"conditions": ["blood_clot_history"]},
    ),
    "chest_pain": ({"symptoms_today": ["chest_pain_breathless"]}, {}),
    "unexplained_pain": ({"symptoms_today": ["unexplained_pain"]}, {}),
    "pregnancy_warning_signs": (
        {"pregnant": True, "pregnancy_signs": ["bleeding_cramping"]},
        {"pregnant": True, "pregnancy_signs": ["high_risk"]},
    ),
    "recent_surgery": (
        {"surgery_site": "right knee", "surgery_date": "2030-12-01"},
        {"surgery_site": "right knee", "surgery_date": "2029-01-01"},
    ),
    "tumour_site": ({"tumour_sites": "left femur"}, {"tumour_sites": "  "}),
    "varicose_veins": ({"conditions": ["varicose_veins"]}, {}),
    "open_wound": ({"symptoms_today": ["open_wound"]}, {}),
    "acute_inflammation": ({"symptoms_today": ["acute_inflammation"]}, {}),
    "anticoagulants": (
        {"medication_flags": ["anticoagulant"]},
        {"medication_flags": ["muscle_relaxant"]},
    ),
    "osteoporosis": ({"conditions": ["osteoporosis"]}, {"conditions": ["osteoarthritis"]}),
    "pregnancy": ({"pregnant": True}, {"pregnant": False}),
    "reduced_sensation": (
        {"conditions": ["diabetes", "reduced_sensation"]},
        {"conditions": ["diabetes"]},
    ),
    "cancer_treatment": ({"medication_flags": ["chemotherapy"]}, {"conditions": ["cancer_past"]}),
    "pain_relievers": ({"medication_flags": ["pain_reliever"]}, {}),
    "corticosteroids": ({"medication_flags": ["corticosteroid"]}, {}),
    "heart_or_blood_pressure": (
        {"conditions": ["high_blood_pressure"]},
        {"conditions": ["low_blood_pressure"]},
    ),
    "lotion_allergy": ({"lotion_allergy": True}, {"allergies": "penicillin"}),
}


def test_every_rule_has_a_case_and_a_rationale() -> None:
    assert set(CASES) == set(RULES_BY_ID)
    for rule in RULES:
        assert len(rule.rationale) > 30, rule.id
        assert rule.message


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_the_rule_raises_its_alert_and_not_on_a_near_miss(rule_id: str) -> None:
    raising, near_miss = CASES[rule_id]
    for question in list(raising) + list(near_miss):
        assert question in BY_ID, question  # rules only read questions the form asks
    assert rule_id in {alert.rule for alert in screen(raising, TODAY)}
    assert rule_id not in {alert.rule for alert in screen(near_miss, TODAY)}


def test_alerts_come_defer_first_and_local_ones_name_the_area() -> None:
    alerts = screen(
        {
            "conditions": ["osteoporosis"],
            "tumour_sites": "left femur",
            "symptoms_today": ["fever"],
        },
        TODAY,
    )
    assert [a.kind for a in alerts] == [AlertKind.DEFER, AlertKind.LOCAL, AlertKind.MODIFY]
    assert alerts[1].area == "left femur"


def test_no_question_asks_about_hiv_status() -> None:
    """CMTO: collect only what massage therapy needs."""
    for question in BY_ID.values():
        assert "hiv" not in (question.text + str(question.choices)).lower()
        assert question.why  # and each question says why it is asked
