"""Contraindication and red-flag screening: a rule base that turns health-history answers into
alerts of three kinds.

- DEFER: do not treat today; refer (fever, suspected deep-vein thrombosis, infection…)
- LOCAL: avoid or adapt over one area (recent surgery, tumour site, varicose veins…)
- MODIFY: treat, but change pressure, position or duration (anticoagulants, osteoporosis…)

Each rule is data: an id, the kind, when it applies (a predicate over the answers), what the
therapist sees, and a short clinical rationale (shown on request and tested). Sources are in
docs/../shared research (contraindications: NCCIH, Mayo Clinic, CMTO).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

Answers = dict[str, Any]


class AlertKind(StrEnum):
    DEFER = "defer"
    LOCAL = "local"
    MODIFY = "modify"

    @property
    def label(self) -> str:
        return str(
            {
                "defer": _("Defer treatment and refer"),
                "local": _("Avoid a local area"),
                "modify": _("Modify treatment"),
            }[self.value]
        )


@dataclass(frozen=True)
class Rule:
    id: str
    kind: AlertKind
    applies: Callable[[Answers, date], bool]
    message: StrOrPromise
    rationale: StrOrPromise
    where: Callable[[Answers], str] | None = None  # the area, for local rules
    # Modalities (practices.modalities.Modality values) this alert advises against: booking
    # such a service for the client warns the person booking and the therapist.
    advises_against: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Alert:
    rule: str
    kind: AlertKind
    message: str
    rationale: str
    area: str = ""
    advises_against: frozenset[str] = frozenset()


def has(question: str, value: str) -> Callable[[Answers, date], bool]:
    return lambda answers, today: value in (answers.get(question) or [])


def yes(question: str) -> Callable[[Answers, date], bool]:
    return lambda answers, today: answers.get(question) is True


def answered(question: str) -> Callable[[Answers, date], bool]:
    return lambda answers, today: bool(str(answers.get(question) or "").strip())


def any_of(*tests: Callable[[Answers, date], bool]) -> Callable[[Answers, date], bool]:
    return lambda answers, today: any(test(answers, today) for test in tests)


def all_of(*tests: Callable[[Answers, date], bool]) -> Callable[[Answers, date], bool]:
    return lambda answers, today: all(test(answers, today) for test in tests)


def within_days(question: str, days: int) -> Callable[[Answers, date], bool]:
    def test(answers: Answers, today: date) -> bool:
        value = answers.get(question)
        if not value:
            return False
        return today - date.fromisoformat(value) <= timedelta(days=days)

    return test


def text_of(question: str) -> Callable[[Answers], str]:
    return lambda answers: str(answers.get(question) or "").strip()


RULES: tuple[Rule, ...] = (
    # --- Defer and refer -----------------------------------------------------------------
    Rule(
        "fever",
        AlertKind.DEFER,
        has("symptoms_today", "fever"),
        _("Fever today: reschedule; advise seeing a doctor if it persists."),
        "Massage increases circulation and can spread a systemic infection; fever is a "
        "general contraindication.",
    ),
    Rule(
        "acute_infection",
        AlertKind.DEFER,
        has("symptoms_today", "acute_infection"),
        _("Acute infection today: reschedule once well."),
        "A contagious or systemic infection is a general contraindication, for the client and "
        "for the next clients.",
    ),
    Rule(
        "suspected_dvt",
        AlertKind.DEFER,
        has("symptoms_today", "calf_pain_swelling"),
        "Possible deep-vein thrombosis (painful, swollen, warm calf): do not treat; refer to a "
        "physician or emergency care today.",
        _("Massage over a clot may dislodge it and cause a pulmonary embolism."),
    ),
    Rule(
        "chest_pain",
        AlertKind.DEFER,
        has("symptoms_today", "chest_pain_breathless"),
        _("Chest pain or unusual breathlessness: do not treat; refer for urgent medical care."),
        _("These may signal a cardiac event or pulmonary embolism."),
    ),
    Rule(
        "unexplained_pain",
        AlertKind.DEFER,
        has("symptoms_today", "unexplained_pain"),
        _("Severe or unexplained pain: defer and ask the client to see their physician first."),
        _("Unexplained pain may have a medical cause that massage could mask or worsen."),
    ),
    Rule(
        "pregnancy_warning_signs",
        AlertKind.DEFER,
        all_of(
            yes("pregnant"),
            any_of(
                has("pregnancy_signs", "bleeding_cramping"),
                has("pregnancy_signs", "sudden_swelling"),
            ),
        ),
        _("Pregnancy warning signs: do not treat; refer to the prenatal care provider today."),
        _("Bleeding, cramping or sudden swelling can signal miscarriage or pre-eclampsia."),
    ),
    # --- Local: avoid or adapt over an area ----------------------------------------------
    Rule(
        "recent_surgery",
        AlertKind.LOCAL,
        all_of(answered("surgery_site"), within_days("surgery_date", 365)),
        "Recent surgery: no direct work over the surgical site until it has healed and the "
        "surgeon agrees.",
        _("Pressure over a healing incision risks wound breakdown, infection and clots."),
        text_of("surgery_site"),
    ),
    Rule(
        "tumour_site",
        AlertKind.LOCAL,
        answered("tumour_sites"),
        "Tumour or cancer site: no deep or intense pressure over it without the treating "
        "physician's approval.",
        _("Deep pressure over a tumour or bone metastasis can cause injury or fracture."),
        text_of("tumour_sites"),
    ),
    Rule(
        "varicose_veins",
        AlertKind.LOCAL,
        has("conditions", "varicose_veins"),
        _("Varicose veins: no deep pressure over them; light strokes only, towards the heart."),
        _("Damaged veins bruise easily and can harbour clots."),
        lambda answers: "varicose veins",
        advises_against=frozenset({"deep_tissue", "cupping"}),
    ),
    Rule(
        "open_wound",
        AlertKind.LOCAL,
        has("symptoms_today", "open_wound"),
        _("Open or healing wound, burn or rash: avoid the area."),
        _("Broken skin is an infection risk for client and therapist."),
        lambda answers: "wound or rash",
    ),
    Rule(
        "acute_inflammation",
        AlertKind.LOCAL,
        any_of(has("symptoms_today", "acute_inflammation")),
        _("Acutely inflamed area: no direct work; consider cold hydrotherapy nearby."),
        _("Massage increases blood flow and can worsen acute inflammation."),
        lambda answers: "inflamed area",
    ),
    # --- Modify treatment ----------------------------------------------------------------
    Rule(
        "anticoagulants",
        AlertKind.MODIFY,
        any_of(has("medication_flags", "anticoagulant"), has("conditions", "bleeding_disorder")),
        _("Blood thinners or a bleeding disorder: lighter pressure, no deep-tissue or cupping."),
        _("Anticoagulation and low platelets make deep pressure bruise and bleed."),
        advises_against=frozenset({"deep_tissue", "cupping", "hot_stone"}),
    ),
    Rule(
        "osteoporosis",
        AlertKind.MODIFY,
        has("conditions", "osteoporosis"),
        _("Osteoporosis: no forceful pressure or joint mobilization over fragile bone."),
        _("Weakened bone can fracture under force."),
        advises_against=frozenset({"deep_tissue", "joint_mobilization"}),
    ),
    Rule(
        "pregnancy",
        AlertKind.MODIFY,
        yes("pregnant"),
        _("Pregnancy: side-lying or supported positioning; avoid deep pressure on the legs."),
        _(
            "Lying flat compresses the vena cava later in pregnancy; clot risk is higher in "
            "pregnancy."
        ),
        advises_against=frozenset({"hot_stone", "deep_tissue"}),
    ),
    Rule(
        "reduced_sensation",
        AlertKind.MODIFY,
        any_of(
            has("conditions", "reduced_sensation"),
            all_of(has("conditions", "diabetes"), has("conditions", "skin_condition")),
        ),
        "Reduced sensation (e.g. diabetic neuropathy): lighter pressure, no heat or cold "
        "hydrotherapy on numb areas; check the skin.",
        _("The client cannot reliably report pain or temperature where sensation is reduced."),
        advises_against=frozenset({"hot_stone", "hydrotherapy"}),
    ),
    Rule(
        "cancer_treatment",
        AlertKind.MODIFY,
        any_of(has("conditions", "cancer_current"), has("medication_flags", "chemotherapy")),
        "Cancer under treatment: oncology-aware care — gentle pressure, check platelets, "
        "ports, radiation sites and lymphedema risk.",
        _("Treatment lowers platelets and immunity, sensitises skin and raises clot risk."),
        advises_against=frozenset({"deep_tissue", "cupping", "hot_stone"}),
    ),
    Rule(
        "pain_relievers",
        AlertKind.MODIFY,
        has("medication_flags", "pain_reliever"),
        _("Pain relievers taken today: use moderate pressure and ask for feedback often."),
        _("Analgesics blunt the pain response the therapist relies on to judge pressure."),
    ),
    Rule(
        "corticosteroids",
        AlertKind.MODIFY,
        has("medication_flags", "corticosteroid"),
        _("Corticosteroids: lighter pressure; avoid recent injection sites."),
        _("Long-term steroids thin skin and weaken tissue and bone."),
        advises_against=frozenset({"deep_tissue", "cupping"}),
    ),
    Rule(
        "heart_or_blood_pressure",
        AlertKind.MODIFY,
        any_of(
            has("conditions", "heart_condition"),
            has("conditions", "high_blood_pressure"),
            has("conditions", "stroke"),
        ),
        "Heart condition, high blood pressure or past stroke: shorter, gentler session; "
        "watch positioning and rising from the table.",
        _("Vigorous work and position changes load the circulation."),
        advises_against=frozenset({"hot_stone", "deep_tissue"}),
    ),
    Rule(
        "lotion_allergy",
        AlertKind.MODIFY,
        yes("lotion_allergy"),
        _("Allergy to oils or lotions: use the client's own or a hypoallergenic product."),
        _("Contact with an allergen causes skin reactions."),
    ),
)

RULES_BY_ID = {rule.id: rule for rule in RULES}


def screen(answers: Answers, today: date) -> list[Alert]:
    """The alerts for a health history's answers, in order of urgency (defer first)."""
    alerts = [
        Alert(
            rule.id,
            rule.kind,
            str(rule.message),
            str(rule.rationale),
            rule.where(answers) if rule.where else "",
            rule.advises_against,
        )
        for rule in RULES
        if rule.applies(answers, today)
    ]
    order = {AlertKind.DEFER: 0, AlertKind.LOCAL: 1, AlertKind.MODIFY: 2}
    return sorted(alerts, key=lambda alert: order[alert.kind])


# A red flag the health history does not ask about (it is for deciding, before booking,
# whether to see a physician first): signs that a nerve root or the spinal cord is pressed on.
NERVE_RED_FLAG = "numbness_weakness"
NERVE_RED_FLAG_LABEL = _("New numbness or weakness, or trouble controlling bladder or bowels")


def deferring_symptoms() -> list[tuple[str, Any]]:
    """The health history's "today" symptoms that on their own defer treatment (the screening
    refers the client to a physician), as (code, label): what the public guides tell people to
    see a physician about first. Worked out from the rules, so the guides and the screening
    cannot disagree."""
    from fascia.records.intake import SYMPTOMS_TODAY

    any_day = date(2000, 1, 1)  # the rules read dates only for surgeries; symptoms have none
    return [
        (code, label)
        for code, label in SYMPTOMS_TODAY
        if any(
            alert.kind == AlertKind.DEFER for alert in screen({"symptoms_today": [code]}, any_day)
        )
    ]


def client_red_flags() -> list[tuple[str, Any]]:
    """What to see a physician about before booking massage: the deferring symptoms and the
    nerve red flag, as (code, label)."""
    return [*deferring_symptoms(), (NERVE_RED_FLAG, NERVE_RED_FLAG_LABEL)]
