"""The health-history questionnaire, as data: what is asked, why, and what answers look like.

Following CMTO's standard on collecting personal health information, it asks only what massage
therapy needs (nothing about HIV status, for example), says why each question is asked, and
lets the client skip any question and say why (`skipped`: question id → reason).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Question:
    """A question, why it is asked and its section, in the reader's language when shown."""

    id: str
    text: StrOrPromise
    why: StrOrPromise
    kind: str  # "text", "yes_no", "choices", "date", "number"
    choices: tuple[tuple[str, Any], ...] = field(default_factory=tuple)  # (code, label)
    section: StrOrPromise = ""
    # Asked only after this answer: (question id, answers that open it; empty: any answer).
    shown_if: tuple[str, tuple[str, ...]] | None = None
    # A long list of choices shown in groups: (group title, choice values).
    groups: tuple[tuple[StrOrPromise, tuple[str, ...]], ...] = ()

    def applies(self, answers: dict[str, Any]) -> bool:
        """Whether the question is asked, given the other answers (a follow-up question is
        asked only after the answer that opens it)."""
        if self.shown_if is None:
            return True
        asked, opening = self.shown_if
        given = answers.get(asked)
        values = [str(v) for v in given] if isinstance(given, list) else [str(given or "")]
        if given is True:
            values = ["yes"]
        if not opening:
            return any(value.strip() and value != "False" for value in values)
        return any(value in opening for value in values)

    @property
    def shown_if_attribute(self) -> str:
        """The rule for the page's script: "pregnant=yes", "conditions=cancer_current …"."""
        if self.shown_if is None:
            return ""
        asked, opening = self.shown_if
        return f"{asked}={' '.join(opening)}"


CONDITIONS = (
    ("high_blood_pressure", _("High blood pressure")),
    ("low_blood_pressure", _("Low blood pressure or fainting")),
    ("heart_condition", _("Heart condition")),
    ("stroke", _("Stroke or mini-stroke")),
    ("blood_clot_history", _("Past blood clot (DVT or pulmonary embolism)")),
    ("bleeding_disorder", _("Bleeding disorder or low platelets")),
    ("varicose_veins", _("Varicose veins")),
    ("diabetes", _("Diabetes")),
    ("reduced_sensation", _("Numbness or reduced sensation (e.g. neuropathy)")),
    ("osteoporosis", _("Osteoporosis")),
    ("arthritis_inflammatory", _("Rheumatoid or other inflammatory arthritis")),
    ("osteoarthritis", _("Osteoarthritis")),
    ("cancer_current", _("Cancer, now or under treatment")),
    ("cancer_past", _("Cancer in the past")),
    ("lymphedema", _("Lymphedema")),
    ("epilepsy", _("Epilepsy or seizures")),
    ("skin_condition", _("Skin condition or fragile skin")),
    ("headaches", _("Headaches or migraines")),
    ("fibromyalgia", _("Fibromyalgia")),
    ("kidney_liver", _("Kidney or liver disease")),
)

CONDITION_GROUPS: tuple[tuple[StrOrPromise, tuple[str, ...]], ...] = (
    (
        _("Heart and circulation"),
        (
            "high_blood_pressure",
            "low_blood_pressure",
            "heart_condition",
            "stroke",
            "blood_clot_history",
            "bleeding_disorder",
            "varicose_veins",
        ),
    ),
    (_("Brain and nerves"), ("reduced_sensation", "epilepsy", "headaches")),
    (
        _("Bones, joints and muscles"),
        ("osteoporosis", "arthritis_inflammatory", "osteoarthritis", "fibromyalgia"),
    ),
    (_("Cancer and the lymphatic system"), ("cancer_current", "cancer_past", "lymphedema")),
    (_("Skin"), ("skin_condition",)),
    (_("Other"), ("diabetes", "kidney_liver")),
)
assert sorted(v for _, values in CONDITION_GROUPS for v in values) == sorted(
    code for code, _ in CONDITIONS
), "every condition is in one group"

SYMPTOMS_TODAY = (
    ("fever", _("Fever")),
    ("acute_infection", _("An infection now (cold, flu, or another)")),
    ("calf_pain_swelling", _("A painful, swollen, warm or red calf")),
    ("sudden_swelling", _("Sudden swelling of the face, hands or legs")),
    ("chest_pain_breathless", _("Chest pain or unusual shortness of breath")),
    ("unexplained_pain", _("Severe or unexplained pain")),
    ("open_wound", _("An open or healing wound, burn or rash")),
    ("acute_inflammation", _("A hot, swollen, inflamed joint or area")),
)

MEDICATION_FLAGS = (
    ("anticoagulant", _("Blood thinners (e.g. warfarin, apixaban, daily aspirin)")),
    ("pain_reliever", _("Pain relievers taken today")),
    ("muscle_relaxant", _("Muscle relaxants")),
    ("corticosteroid", _("Corticosteroids (e.g. prednisone) or steroid injections")),
    ("chemotherapy", _("Chemotherapy or radiation therapy")),
)

PREGNANCY_SIGNS = (
    ("bleeding_cramping", _("Vaginal bleeding or cramping")),
    ("sudden_swelling", _("Sudden swelling, headache or vision changes")),
    ("high_risk", _("My care provider calls my pregnancy high-risk")),
)

QUESTIONS: tuple[Question, ...] = (
    Question(
        "reason",
        _("What brings you in, and what would you like from treatment?"),
        _("So the treatment is aimed at your goals."),
        "text",
        section=_("Your visit"),
    ),
    Question(
        "goals",
        _("Anything you would like to be able to do again?"),
        _("We track progress against what matters to you."),
        "text",
        section=_("Your visit"),
    ),
    Question(
        "conditions",
        _("Do any of these apply to you?"),
        _("Some conditions change how massage is given or whether it is safe today."),
        "choices",
        CONDITIONS,
        section=_("Health"),
        groups=CONDITION_GROUPS,
    ),
    Question(
        "symptoms_today",
        _("Do you have any of these today?"),
        _("These can mean treatment should wait or a doctor should be seen first."),
        "choices",
        SYMPTOMS_TODAY,
        section=_("Health"),
    ),
    Question(
        "medications",
        _("Which medications do you take?"),
        _("Some medications affect bruising, sensation or how you respond to pressure."),
        "text",
        section=_("Medications and allergies"),
    ),
    Question(
        "medication_flags",
        _("Are any of them one of these?"),
        _("Blood thinners and pain relievers change how much pressure is safe."),
        "choices",
        MEDICATION_FLAGS,
        section=_("Medications and allergies"),
    ),
    Question(
        "allergies",
        _("Allergies, including to oils, lotions, nuts or latex"),
        _("So we use products that are safe for you."),
        "text",
        section=_("Medications and allergies"),
    ),
    Question(
        "lotion_allergy",
        _("Are you allergic or sensitive to any massage oil or lotion?"),
        _("So we choose a product you can use."),
        "yes_no",
        section=_("Medications and allergies"),
    ),
    Question(
        "surgery_site",
        _("Any surgery in the last year: where on the body?"),
        _("A recent surgical site is not massaged directly while it heals."),
        "text",
        section=_("Surgeries and injuries"),
    ),
    Question(
        "surgery_date",
        _("When was that surgery?"),
        _("Healing time decides what is safe."),
        "date",
        section=_("Surgeries and injuries"),
        shown_if=("surgery_site", ()),
    ),
    Question(
        "injuries",
        _("Injuries or accidents (including car accidents), and when"),
        _("Past injuries explain pain and guide the assessment."),
        "text",
        section=_("Surgeries and injuries"),
    ),
    Question(
        "tumour_sites",
        _("If you have or had a tumour or cancer: where?"),
        _("Areas with a tumour are not given deep pressure."),
        "text",
        section=_("Surgeries and injuries"),
        shown_if=("conditions", ("cancer_current", "cancer_past")),
    ),
    Question(
        "pregnant",
        _("Are you pregnant?"),
        _("Positioning and some techniques change in pregnancy."),
        "yes_no",
        section=_("Pregnancy"),
    ),
    Question(
        "pregnancy_weeks",
        _("How many weeks?"),
        _("Positioning changes as pregnancy goes on."),
        "number",
        section=_("Pregnancy"),
        shown_if=("pregnant", ("yes",)),
    ),
    Question(
        "pregnancy_signs",
        _("Any of these?"),
        _("These are warning signs to check with your care provider before massage."),
        "choices",
        PREGNANCY_SIGNS,
        section=_("Pregnancy"),
        shown_if=("pregnant", ("yes",)),
    ),
    Question(
        "physician",
        _("Your family doctor or nurse practitioner (name and clinic)"),
        _("So we can coordinate with them if you ask us to."),
        "text",
        section=_("Your care team"),
    ),
    Question(
        "physiotherapist",
        _("Physiotherapist or other practitioner you see (name and clinic)"),
        _("So care can be coordinated."),
        "text",
        section=_("Your care team"),
    ),
    Question(
        "activity",
        _("Your usual activity and sport"),
        _("Activity shapes the treatment and home care."),
        "text",
        section=_("Daily life"),
    ),
    Question(
        "work_posture",
        _("Your work and posture (e.g. desk 8 h a day, standing, lifting)"),
        _("Posture explains many patterns of tension."),
        "text",
        section=_("Daily life"),
    ),
)

BY_ID = {question.id: question for question in QUESTIONS}


class IntakeError(ValueError):
    """Answers that do not fit the questionnaire; `errors` maps question ids to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {value}" for key, value in errors.items()))
        self.errors = errors


def clean_answers(
    answers: dict[str, Any], skipped: dict[str, str] | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """Check answers against the questionnaire; returns (answers, skipped) in canonical form.
    Unknown questions are refused (nothing outside the questionnaire is collected)."""
    skipped = {key: str(reason).strip() for key, reason in (skipped or {}).items()}
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for key in set(answers) | set(skipped):
        if key not in BY_ID:
            errors[key] = str(_("Not a question on this form."))
    for key, value in answers.items():
        question = BY_ID.get(key)
        if question is None or value in (None, "", []):
            continue
        if key in skipped:
            errors[key] = str(_("Answered and skipped at once."))
            continue
        try:
            clean[key] = _clean_one(question, value)
        except ValueError as error:
            errors[key] = str(error)
    if errors:
        raise IntakeError(errors)
    return clean, {key: reason for key, reason in skipped.items() if key in BY_ID}


def _clean_one(question: Question, value: Any) -> Any:
    if question.kind == "text":
        text = str(value).strip()
        if len(text) > 2000:
            raise ValueError(_("Keep this under 2,000 characters."))
        return text
    if question.kind == "yes_no":
        if not isinstance(value, bool):
            raise ValueError(_("Answer yes or no."))
        return value
    if question.kind == "choices":
        values = value if isinstance(value, list) else [value]
        known = {code for code, _ in question.choices}
        unknown = [v for v in values if v not in known]
        if unknown:
            raise ValueError(f"Unknown choice: {', '.join(map(str, unknown))}.")
        return sorted(set(values))
    if question.kind == "date":
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError as error:
            raise ValueError(_("Give a date as YYYY-MM-DD.")) from error
    if question.kind == "number":
        try:
            number = int(value)
        except (TypeError, ValueError) as error:
            raise ValueError(_("Give a whole number.")) from error
        if not 0 <= number <= 45:
            raise ValueError(_("Give a number from 0 to 45."))
        return number
    raise ValueError(f"Unknown question kind {question.kind}.")
