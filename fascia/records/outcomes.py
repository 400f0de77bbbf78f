"""Standard outcome measures, scored by their published rules (see the research notes, §9).

Each measure has a number of items and an item range. A questionnaire with missing answers is
scored only where the rules allow it — NDI and ODI by dividing by the items answered (up to two
may be missing); otherwise the score is marked incomplete and not computed. Answers outside an
item's range are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    items: int  # for PSFS: the most activities
    low: int
    high: int
    best: int  # the best possible score on the measure's scale
    unit: str
    may_miss: int = 0  # items that may be missing and still scored (prorated)
    min_items: int | None = None  # PSFS: at least this many activities
    item_labels: tuple[str, ...] = ()  # what each item asks about, in order
    anchors: tuple[str, str] = ("", "")  # what the lowest and highest answers mean

    @property
    def names_activities(self) -> bool:
        """The client names the activities (PSFS) rather than answering fixed items."""
        return self.min_items is not None


# Section headings (NDI, ODI) and activities (LEFS, UEFI) as the questionnaires list them.
NDI_ITEMS = (
    "Pain intensity",
    "Personal care (washing, dressing)",
    "Lifting",
    "Reading",
    "Headaches",
    "Concentration",
    "Work",
    "Driving",
    "Sleeping",
    "Recreation",
)
ODI_ITEMS = (
    "Pain intensity",
    "Personal care (washing, dressing)",
    "Lifting",
    "Walking",
    "Sitting",
    "Standing",
    "Sleeping",
    "Sex life (if applicable)",
    "Social life",
    "Travelling",
)
LEFS_ITEMS = (
    "Any of your usual work, housework or school activities",
    "Your usual hobbies, recreational or sporting activities",
    "Getting into or out of the bath",
    "Walking between rooms",
    "Putting on your shoes or socks",
    "Squatting",
    "Lifting an object, like a bag of groceries, from the floor",
    "Performing light activities around your home",
    "Performing heavy activities around your home",
    "Getting into or out of a car",
    "Walking 2 blocks",
    "Walking a mile",
    "Going up or down 10 stairs (about one flight)",
    "Standing for 1 hour",
    "Sitting for 1 hour",
    "Running on even ground",
    "Running on uneven ground",
    "Making sharp turns while running fast",
    "Hopping",
    "Rolling over in bed",
)
UEFI_ITEMS = (
    "Any of your usual work, housework or school activities",
    "Your usual hobbies, recreational or sporting activities",
    "Lifting a bag of groceries to waist level",
    "Lifting a bag of groceries above your head",
    "Grooming your hair",
    "Pushing up on your hands (e.g. from a bathtub or chair)",
    "Preparing food (e.g. peeling, cutting)",
    "Driving",
    "Vacuuming, sweeping or raking",
    "Dressing",
    "Doing up buttons",
    "Using tools or appliances",
    "Opening doors",
    "Cleaning",
    "Tying or lacing shoes",
    "Sleeping",
    "Laundering clothes (e.g. washing, ironing, folding)",
    "Opening a jar",
    "Throwing a ball",
    "Carrying a small suitcase with the affected arm",
)
DIFFICULTY = ("Extreme difficulty or unable", "No difficulty")
DISABILITY = ("No problem", "Worst possible")

MEASURES = {
    m.code: m
    for m in (
        Measure(
            "nprs",
            "Numeric Pain Rating Scale",
            1,
            0,
            10,
            0,
            "/10",
            item_labels=("Pain right now",),
            anchors=("No pain", "Worst pain imaginable"),
        ),
        Measure(
            "psfs",
            "Patient-Specific Functional Scale",
            5,
            0,
            10,
            10,
            "/10",
            min_items=1,
            anchors=("Unable to perform", "Able to perform at the level before the problem"),
        ),
        Measure("ndi", "Neck Disability Index", 10, 0, 5, 0, "%", 2, None, NDI_ITEMS, DISABILITY),
        Measure(
            "odi", "Oswestry Disability Index", 10, 0, 5, 0, "%", 2, None, ODI_ITEMS, DISABILITY
        ),
        Measure(
            "lefs",
            "Lower Extremity Functional Scale",
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
            "Upper Extremity Functional Index",
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

NDI_BANDS = ((4, "no disability"), (14, "mild"), (24, "moderate"), (34, "severe"), (50, "complete"))
ODI_BANDS = (
    (20, "minimal disability"),
    (40, "moderate disability"),
    (60, "severe disability"),
    (80, "crippled"),
    (100, "bed-bound (or exaggerating)"),
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


def _band(bands: tuple[tuple[int, str], ...], value: Decimal) -> str:
    return next(label for limit, label in bands if value <= limit)


def score(measure_code: str, answers: list[int | None]) -> Score:
    """Score one completed questionnaire. `answers` lists the item answers in order (None for
    a skipped item); PSFS lists one rating per chosen activity."""
    measure = MEASURES.get(measure_code)
    if measure is None:
        raise OutcomeError(f"Unknown outcome measure {measure_code!r}.")
    if measure.min_items is None and len(answers) != measure.items:
        raise OutcomeError(f"{measure.name} has {measure.items} items; got {len(answers)}.")
    if measure.min_items is not None and len(answers) > measure.items:
        raise OutcomeError(f"{measure.name} takes at most {measure.items} activities.")
    for number, answer in enumerate(answers, start=1):
        if answer is not None and not (
            isinstance(answer, int) and measure.low <= answer <= measure.high
        ):
            raise OutcomeError(
                f"{measure.name} item {number}: answers run from {measure.low} to {measure.high}."
            )
    given = [answer for answer in answers if answer is not None]
    missing = len(answers) - len(given)
    if measure.min_items is not None:  # PSFS: the mean of the activities rated
        if len(given) < measure.min_items:
            return Score(measure.code, None, False, 0, note="No activity rated.")
        mean = (Decimal(sum(given)) / len(given)).quantize(ONE_PLACE, ROUND_HALF_UP)
        return Score(measure.code, mean, True, len(given))
    if missing > measure.may_miss:
        note = (
            "Not scored: every item must be answered."
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
