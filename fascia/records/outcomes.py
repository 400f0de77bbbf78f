"""Standard outcome measures, scored by their published rules (see the research notes, §9).

Each measure has a number of items and an item range. A questionnaire with missing answers is
scored only where the rules allow it — NDI and ODI by dividing by the items answered (up to two
may be missing); otherwise the score is marked incomplete and not computed. Answers outside an
item's range are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from fascia.languages import english


@dataclass(frozen=True)
class Measure:
    code: str
    name: StrOrPromise
    items: int  # for PSFS: the most activities
    low: int
    high: int
    best: int  # the best possible score on the measure's scale
    unit: str
    may_miss: int = 0  # items that may be missing and still scored (prorated)
    min_items: int | None = None  # PSFS: at least this many activities
    item_labels: tuple[StrOrPromise, ...] = ()  # what each item asks about, in order
    anchors: tuple[StrOrPromise, StrOrPromise] = (
        "",
        "",
    )  # what the lowest and highest answers mean

    @property
    def names_activities(self) -> bool:
        """The client names the activities (PSFS) rather than answering fixed items."""
        return self.min_items is not None


# Section headings (NDI, ODI) and activities (LEFS, UEFI) as the questionnaires list them.
NDI_ITEMS = (
    gettext_lazy("Pain intensity"),
    gettext_lazy("Personal care (washing, dressing)"),
    gettext_lazy("Lifting"),
    gettext_lazy("Reading"),
    gettext_lazy("Headaches"),
    gettext_lazy("Concentration"),
    gettext_lazy("Work"),
    gettext_lazy("Driving"),
    gettext_lazy("Sleeping"),
    gettext_lazy("Recreation"),
)
ODI_ITEMS = (
    gettext_lazy("Pain intensity"),
    gettext_lazy("Personal care (washing, dressing)"),
    gettext_lazy("Lifting"),
    gettext_lazy("Walking"),
    gettext_lazy("Sitting"),
    gettext_lazy("Standing"),
    gettext_lazy("Sleeping"),
    gettext_lazy("Sex life (if applicable)"),
    gettext_lazy("Social life"),
    gettext_lazy("Travelling"),
)
LEFS_ITEMS = (
    gettext_lazy("Any of your usual work, housework or school activities"),
    gettext_lazy("Your usual hobbies, recreational or sporting activities"),
    gettext_lazy("Getting into or out of the bath"),
    gettext_lazy("Walking between rooms"),
    gettext_lazy("Putting on your shoes or socks"),
    gettext_lazy("Squatting"),
    gettext_lazy("Lifting an object, like a bag of groceries, from the floor"),
    gettext_lazy("Performing light activities around your home"),
    gettext_lazy("Performing heavy activities around your home"),
    gettext_lazy("Getting into or out of a car"),
    gettext_lazy("Walking 2 blocks"),
    gettext_lazy("Walking a mile"),
    gettext_lazy("Going up or down 10 stairs (about one flight)"),
    gettext_lazy("Standing for 1 hour"),
    gettext_lazy("Sitting for 1 hour"),
    gettext_lazy("Running on even ground"),
    gettext_lazy("Running on uneven ground"),
    gettext_lazy("Making sharp turns while running fast"),
    gettext_lazy("Hopping"),
    gettext_lazy("Rolling over in bed"),
)
UEFI_ITEMS = (
    gettext_lazy("Any of your usual work, housework or school activities"),
    gettext_lazy("Your usual hobbies, recreational or sporting activities"),
    gettext_lazy("Lifting a bag of groceries to waist level"),
    gettext_lazy("Lifting a bag of groceries above your head"),
    gettext_lazy("Grooming your hair"),
    gettext_lazy("Pushing up on your hands (e.g. from a bathtub or chair)"),
    gettext_lazy("Preparing food (e.g. peeling, cutting)"),
    gettext_lazy("Driving"),
    gettext_lazy("Vacuuming, sweeping or raking"),
    gettext_lazy("Dressing"),
    gettext_lazy("Doing up buttons"),
    gettext_lazy("Using tools or appliances"),
    gettext_lazy("Opening doors"),
    gettext_lazy("Cleaning"),
    gettext_lazy("Tying or lacing shoes"),
    gettext_lazy("Sleeping"),
    gettext_lazy("Laundering clothes (e.g. washing, ironing, folding)"),
    gettext_lazy("Opening a jar"),
    gettext_lazy("Throwing a ball"),
    gettext_lazy("Carrying a small suitcase with the affected arm"),
)
DIFFICULTY = (gettext_lazy("Extreme difficulty or unable"), gettext_lazy("No difficulty"))
DISABILITY = (gettext_lazy("No problem"), gettext_lazy("Worst possible"))

MEASURES = {
    m.code: m
    for m in (
        Measure(
            "nprs",
            gettext_lazy("Numeric Pain Rating Scale"),
            1,
            0,
            10,
            0,
            "/10",
            item_labels=(gettext_lazy("Pain right now"),),
            anchors=(gettext_lazy("No pain"), gettext_lazy("Worst pain imaginable")),
        ),
        Measure(
            "psfs",
            gettext_lazy("Patient-Specific Functional Scale"),
            5,
            0,
            10,
            10,
            "/10",
            min_items=1,
            anchors=(
                gettext_lazy("Unable to perform"),
                gettext_lazy("Able to perform at the level before the problem"),
            ),
        ),
        Measure(
            "ndi",
            gettext_lazy("Neck Disability Index"),
            10,
            0,
            5,
            0,
            "%",
            2,
            None,
            NDI_ITEMS,
            DISABILITY,
        ),
        Measure(
            "odi",
            gettext_lazy("Oswestry Disability Index"),
            10,
            0,
            5,
            0,
            "%",
            2,
            None,
            ODI_ITEMS,
            DISABILITY,
        ),
        Measure(
            "lefs",
            gettext_lazy("Lower Extremity Functional Scale"),
            20,
            0,
            4,
            80,
            "/80",
            item_labels=LEFS_ITEMS,
            anchors=DIFFICULTY,
        ),
        Measure(
            "uefi",
            gettext_lazy("Upper Extremity Functional Index"),
            20,
            0,
            4,
            80,
            "/80",
            item_labels=UEFI_ITEMS,
            anchors=DIFFICULTY,
        ),
    )
}

NDI_BANDS = (
    (4, gettext_lazy("no disability")),
    (14, gettext_lazy("mild")),
    (24, gettext_lazy("moderate")),
    (34, gettext_lazy("severe")),
    (50, gettext_lazy("complete")),
)
ODI_BANDS = (
    (20, gettext_lazy("minimal disability")),
    (40, gettext_lazy("moderate disability")),
    (60, gettext_lazy("severe disability")),
    (80, gettext_lazy("crippled")),
    (100, gettext_lazy("bed-bound (or exaggerating)")),
)
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Score:
    measure: str
    value: Decimal | None  # on the measure's own scale; None when incomplete
    complete: bool
    answered: int
    band: str = ""
    note: str = ""

    def display(self) -> str:
        if self.value is None:
            return "incomplete"
        return f"{self.value}{MEASURES[self.measure].unit}"


class OutcomeError(ValueError):
    pass


def _band(bands: tuple[tuple[int, StrOrPromise], ...], value: Decimal) -> str:
    """The band's name as the record keeps it (English); pages translate it when shown."""
    return english(next(label for limit, label in bands if value <= limit))


def score(measure_code: str, answers: list[int | None]) -> Score:
    """Score one completed questionnaire. `answers` lists the item answers in order (None for
    a skipped item); PSFS lists one rating per chosen activity."""
    measure = MEASURES.get(measure_code)
    if measure is None:
        raise OutcomeError(f"Unknown outcome measure {measure_code!r}.")
    if measure.min_items is None and len(answers) != measure.items:
        raise OutcomeError(
            _("%(name)s has %(items)s items; %(given)s were given.")
            % {"name": measure.name, "items": measure.items, "given": len(answers)}
        )
    if measure.min_items is not None and len(answers) > measure.items:
        raise OutcomeError(
            _("%(name)s takes at most %(items)s activities.")
            % {"name": measure.name, "items": measure.items}
        )
    for number, answer in enumerate(answers, start=1):
        if answer is not None and not (
            isinstance(answer, int) and measure.low <= answer <= measure.high
        ):
            raise OutcomeError(
                _("%(name)s item %(number)s: answers run from %(low)s to %(high)s.")
                % {"name": measure.name, "number": number, "low": measure.low, "high": measure.high}
            )
    given = [answer for answer in answers if answer is not None]
    missing = len(answers) - len(given)
    if measure.min_items is not None:  # PSFS: the mean of the activities rated
        if len(given) < measure.min_items:
            return Score(measure.code, None, False, 0, note=_("No activity rated."))
        mean = (Decimal(sum(given)) / len(given)).quantize(ONE_PLACE, ROUND_HALF_UP)
        return Score(measure.code, mean, True, len(given))
    if missing > measure.may_miss:
        note = (
            _("Not scored: every item must be answered.")
            if not measure.may_miss
            else f"Not scored: more than {measure.may_miss} items unanswered."
        )
        return Score(measure.code, None, False, len(given), note=note)
    if measure.code in ("ndi", "odi"):
        percent = (Decimal(sum(given)) * 100 / (measure.high * len(given))).quantize(
            ONE_PLACE, ROUND_HALF_UP
        )
        note = f"Prorated over {len(given)} items." if missing else ""
        band = _band(NDI_BANDS, percent / 2) if measure.code == "ndi" else _band(ODI_BANDS, percent)
        return Score(measure.code, percent, True, len(given), band, note)
    return Score(measure.code, Decimal(sum(given)), True, len(given))


def change(measure_code: str, baseline: Score, latest: Score) -> Decimal | None:
    """Improvement since baseline as a percentage of the way from baseline to the best score
    (100 = fully better, negative = worse), or None when either is incomplete."""
    if baseline.value is None or latest.value is None:
        return None
    best = Decimal(MEASURES[measure_code].best)
    room = best - baseline.value
    if room == 0:
        return Decimal(0)
    return ((latest.value - baseline.value) * 100 / room).quantize(ONE_PLACE, ROUND_HALF_UP)
